package dev.dnslab.bench;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.wire.ResponseSizeLimit;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneFileLoader;
import dev.dnslab.core.zone.ZoneLookup;
import dev.dnslab.core.zone.ZoneRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The authority server's per-query work without sockets: the whole path (decode, the handler
 * chain, encode) and the zone lookup alone, for an answer, a CNAME chain and an NXDOMAIN. Shows
 * where the gap to NSD in bench/authoritative comes from.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthorityPathBenchmark {
  @Param({"www.google.com.", "www.naver.com.", "nosuch.google.com."})
  public String name;

  private QueryProcessor processor;
  private byte[] query;
  private Zone zone;
  private Name qname;
  private final InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
  private final InetSocketAddress server = new InetSocketAddress("127.53.0.13", 53);

  @Setup
  public void setUp() throws Exception {
    Path zones = Path.of(System.getProperty("dnslab.zones", "zones")).resolve("authoritative");
    AuthorityConfig config = AuthorityConfig.builder("authoritative-ns").listen(server).admin(server)
        .zoneSources(List.of(zones)).build();
    ZoneRepository repository = new ZoneRepository(config.zoneSources(), new ZoneFileLoader());
    repository.reload();
    DnsMetrics metrics = new DnsMetrics(new SimpleMeterRegistry(), "authoritative-ns");
    processor = new QueryProcessor(AuthorityServer.chain(metrics, repository, config), metrics,
        ResponseSizeLimit.DEFAULT_EDNS_UDP);
    qname = Name.fromString(name);
    Message message = Message.newQuery(Record.newRecord(qname, Type.A, DClass.IN));
    message.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    query = message.toWire();
    zone = repository.zones().closestEnclosing(qname);
  }

  /** Decode, QueryLog, Metrics, Opcode, EDNS, ZoneTransfer, Authority, encode: one UDP query. */
  @Benchmark
  public List<byte[]> wholeQueryPath() {
    return processor.process(query, Transport.UDP, client, server).toCompletableFuture().join();
  }

  /** The RFC 1034 4.3.2 lookup in the zone alone. */
  @Benchmark
  public ZoneLookup zoneLookup() {
    return zone.lookup(qname, Type.A);
  }

  /** dnsjava's parse of the query alone. */
  @Benchmark
  public Message parseQuery() throws Exception {
    return new Message(query);
  }
}
