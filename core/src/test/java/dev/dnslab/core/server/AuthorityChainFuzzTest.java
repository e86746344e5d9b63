package dev.dnslab.core.server;

import static dev.dnslab.core.testing.AuthorityFixture.labZones;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.wire.DecodedPacket;
import dev.dnslab.core.wire.DnsQueryDecoder;
import dev.dnslab.core.wire.ResponseSizeLimit;
import dev.dnslab.core.zone.ZoneFileLoader;
import dev.dnslab.core.zone.ZoneRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;

/**
 * Bytes in, bytes out through the whole authority request path (decoder, the chain every authority
 * role runs, encoder) over the lab's real root, TLD and authoritative zones, without sockets. The
 * invariant: every answer is wire format dnsjava parses, a response to the query's ID and question,
 * within the UDP size limit; a packet left unanswered was counted as malformed.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/dnslab/core/server/AuthorityChainFuzzTestInputs}.
 * {@code JAZZER_FUZZ=1} (scripts/fuzz.sh) fuzzes.
 */
class AuthorityChainFuzzTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

  private static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();
  private static final QueryProcessor PROCESSOR = processor();

  private static QueryProcessor processor() {
    try {
      List<java.nio.file.Path> folders = List.of(labZones("root"), labZones("tld"), labZones("authoritative"));
      ZoneRepository zones = new ZoneRepository(folders, new ZoneFileLoader());
      zones.reload();
      DnsMetrics metrics = new DnsMetrics(REGISTRY, "fuzz");
      HandlerChain chain = AuthorityServer.chain(metrics, zones, AuthorityFixture.config("fuzz", folders));
      return new QueryProcessor(chain, metrics, ResponseSizeLimit.DEFAULT_EDNS_UDP);
    } catch (Exception e) {
      throw new IllegalStateException("cannot load the lab zones", e);
    }
  }

  @FuzzTest
  void answersWithValidWireFormatOrCountsTheDrop(byte[] packet) throws Exception {
    for (Transport transport : new Transport[] {Transport.UDP, Transport.TCP}) {
      double malformedBefore = malformedTotal();
      List<byte[]> answers =
          PROCESSOR.process(packet, transport, CLIENT, SERVER).toCompletableFuture().get(5, TimeUnit.SECONDS);
      DecodedPacket decoded = DnsQueryDecoder.decode(packet);
      if (answers.isEmpty()) {
        assertThat(decoded).as("a query that decoded is answered").isInstanceOf(DecodedPacket.Dropped.class);
        assertThat(malformedTotal()).as("a dropped packet is counted").isGreaterThan(malformedBefore);
        continue;
      }
      for (byte[] wire : answers) {
        checkAnswer(packet, decoded, transport, wire);
      }
    }
  }

  private static void checkAnswer(byte[] packet, DecodedPacket decoded, Transport transport, byte[] wire)
      throws IOException {
    Message answer = new Message(wire); // throws if it is not wire format
    assertThat(answer.getHeader().getFlag(Flags.QR)).as("QR").isTrue();
    assertThat(answer.getHeader().getID()).isEqualTo(((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF));
    assertThat(wire.length).isLessThanOrEqualTo(65535);
    if (decoded instanceof DecodedPacket.Rejected) {
      assertThat(answer.getRcode()).isEqualTo(Rcode.FORMERR);
      assertThat(wire.length).isLessThanOrEqualTo(ResponseSizeLimit.CLASSIC_UDP);
    } else if (decoded instanceof DecodedPacket.Query query) {
      if (transport == Transport.UDP) {
        assertThat(wire.length)
            .isLessThanOrEqualTo(
                ResponseSizeLimit.of(query.message(), Transport.UDP, ResponseSizeLimit.DEFAULT_EDNS_UDP));
      }
      if (query.message().getHeader().getOpcode() == Opcode.QUERY && answer.getQuestion() != null) {
        assertThat(answer.getQuestion()).isEqualTo(query.message().getQuestion());
      }
    }
  }

  private static double malformedTotal() {
    return REGISTRY.find(DnsMetrics.MALFORMED).counters().stream().mapToDouble(Counter::count).sum();
  }
}
