package dev.dnslab.core.metrics;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.Transport;
import dev.dnslab.core.wire.MalformedReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The meters every DNS server in the lab exports. One meter name per quantity, details in tags; the
 * Prometheus registry renders them as {@code dns_requests_total{role,transport,qtype}} and so on. A
 * query name is never a tag: it would let any client grow the registry without bound.
 */
public final class DnsMetrics {
  public static final String REQUESTS = "dns.requests";
  public static final String RESPONSES = "dns.responses";
  public static final String REQUEST_DURATION = "dns.request.duration";
  public static final String MALFORMED = "dns.malformed";
  public static final String TCP_CONNECTIONS = "dns.tcp.connections";
  public static final String TCP_REJECTED = "dns.tcp.rejected";
  public static final String TCP_EVICTED = "dns.tcp.evicted";
  public static final String TRUNCATED = "dns.responses.truncated";

  /**
   * Query types that get their own tag value; anything else is "OTHER", so a client sending every
   * one of the 65536 types cannot create 65536 time series.
   */
  private static final Set<Integer> TAGGED_TYPES =
      Set.of(
          Type.A, Type.AAAA, Type.NS, Type.CNAME, Type.SOA, Type.MX, Type.TXT, Type.PTR, Type.SRV,
          Type.HTTPS, Type.SVCB, Type.DS, Type.DNSKEY, Type.CAA, Type.NAPTR, Type.ANY, Type.AXFR,
          Type.IXFR);

  /** Request counter keys: the transport above the 16-bit type, untagged types on one key. */
  private static final int OTHER_TYPE_KEY = 1 << 16;
  private static final int TRANSPORT_KEY_SHIFT = 17;
  private static final int TYPE_KEY_MASK = (1 << TRANSPORT_KEY_SHIFT) - 1;

  private final MeterRegistry registry;
  private final String role;
  private final AtomicInteger tcpConnections = new AtomicInteger();
  // Bounded: transports x TAGGED_TYPES, and 4096 rcodes at most.
  private final MeterCache<Integer, Counter> requests;
  private final MeterCache<Integer, Counter> responses;
  private final Timer duration;

  public DnsMetrics(MeterRegistry registry, String role) {
    this.registry = requireNonNull(registry, "registry");
    this.role = requireNonNull(role, "role");
    io.micrometer.core.instrument.Gauge.builder(TCP_CONNECTIONS, tcpConnections, AtomicInteger::get)
        .description("TCP and TLS connections open now").tag("role", role).register(registry);
    this.duration =
        Timer.builder(REQUEST_DURATION)
            .description("Time from decoding a query to handing its response to the transport")
            .tags("role", role)
            .register(registry);
    this.requests = new MeterCache<>(key -> Counter.builder(REQUESTS)
        .description("DNS queries received")
        .tags("role", role, "transport", Transport.values()[key >>> TRANSPORT_KEY_SHIFT].tag(),
            "qtype", qtypeTag(key & TYPE_KEY_MASK))
        .register(registry));
    this.responses = new MeterCache<>(rcode -> Counter.builder(RESPONSES)
        .description("DNS responses sent")
        .tags("role", role, "rcode", Rcode.string(rcode))
        .register(registry));
  }

  public MeterRegistry registry() {
    return registry;
  }

  public String role() {
    return role;
  }

  public void request(Transport transport, int qtype) {
    // One key per (transport, tagged type): no string built per query.
    int taggedType = TAGGED_TYPES.contains(qtype) ? qtype : OTHER_TYPE_KEY;
    requests.get(transport.ordinal() << TRANSPORT_KEY_SHIFT | taggedType).increment();
  }

  /** One response sent, {@code elapsedNanos} after its query arrived (no Duration object per query). */
  public void response(int rcode, long elapsedNanos) {
    responses.get(rcode).increment();
    duration.record(elapsedNanos, TimeUnit.NANOSECONDS);
  }

  public void truncated() {
    Counter.builder(TRUNCATED)
        .description("UDP responses sent with TC set")
        .tags("role", role)
        .register(registry)
        .increment();
  }

  public void malformed(MalformedReason reason) {
    Counter.builder(MALFORMED)
        .description("Packets rejected with FORMERR or dropped")
        .tags("role", role, "reason", reason.tag())
        .register(registry)
        .increment();
  }

  public void tcpConnectionOpened() {
    tcpConnections.incrementAndGet();
  }

  public void tcpConnectionClosed() {
    tcpConnections.decrementAndGet();
  }

  public int openTcpConnections() {
    return tcpConnections.get();
  }

  /** A new stream connection ({@code transport}: tcp, tls or https) closed at once at the cap. */
  public void tcpRejected(String transport) {
    Counter.builder(TCP_REJECTED)
        .description("New TCP connections closed at once: the cap was reached and every connection was busy")
        .tags("role", role, "transport", transport)
        .register(registry)
        .increment();
  }

  /** An idle stream connection ({@code transport}: tcp, tls or https) closed to admit a new one. */
  public void tcpEvicted(String transport) {
    Counter.builder(TCP_EVICTED)
        .description("Idle TCP connections closed to admit a new one at the connection cap (RFC 7766 6.2.3)")
        .tags("role", role, "transport", transport)
        .register(registry)
        .increment();
  }

  static String qtypeTag(int qtype) {
    return TAGGED_TYPES.contains(qtype) ? Type.string(qtype) : "OTHER";
  }
}
