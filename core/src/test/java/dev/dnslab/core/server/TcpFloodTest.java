package dev.dnslab.core.server;

import static dev.dnslab.core.testing.AuthorityFixture.labZones;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.testing.Poll;
import dev.dnslab.core.testing.RawDns;
import dev.dnslab.testing.DnsStreamFrame;
import io.micrometer.core.instrument.Counter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Far more idle TCP connections than the cap ({@link DnsServer#DEFAULT_MAX_TCP_CONNECTIONS}) do not
 * lock new clients out: while the flood runs, new TCP clients and UDP clients are answered, because
 * the connections idle longest are closed to admit new ones (RFC 7766 6.2.3, RFC 9210 3.4).
 *
 * <p>{@code -Ddnslab.tcpFlood.connections=10000} (scripts/tcp-flood.sh) runs the full-size flood.
 */
class TcpFloodTest {
  private static final int CONNECTIONS = Integer.getInteger("dnslab.tcpFlood.connections", 2_000);

  private AuthorityFixture server;
  private final List<Socket> flood = new ArrayList<>();
  private volatile boolean stopFlooding;
  private CompletableFuture<Void> flooding;

  @BeforeEach
  void start() throws Exception {
    server = AuthorityFixture.start("authoritative-ns", List.of(labZones("authoritative")));
  }

  @AfterEach
  void stop() throws Exception {
    stopFlooding = true;
    if (flooding != null) {
      flooding.handle((ok, error) -> null).get(1, TimeUnit.MINUTES);
    }
    for (Socket socket : flood) {
      socket.close();
    }
    server.close();
  }

  private double count(String meter) {
    Counter counter = server.server().registry().find(meter).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void servesNewTcpAndUdpClientsDuringAFloodOfIdleConnections() throws Exception {
    // given a client opening idle connections as fast as it can, far past the cap
    flooding =
        CompletableFuture.runAsync(() -> {
          try {
            for (int i = 0; i < CONNECTIONS && !stopFlooding; i++) {
              flood.add(new Socket(server.address().getAddress(), server.address().getPort()));
            }
          } catch (IOException e) {
            throw new IllegalStateException("flood stopped after " + flood.size() + " connections", e);
          }
        });
    // when other clients ask over TCP and UDP while it runs
    int tcpAnswers = 0;
    int udpAnswers = 0;
    long started = System.nanoTime();
    while (!flooding.isDone() || tcpAnswers == 0) {
      assertAnswered(tcpQueryOnNewConnection(tcpAnswers));
      tcpAnswers++;
      assertAnswered(server.udp().send(query()));
      udpAnswers++;
    }
    flooding.get(1, TimeUnit.MINUTES);
    long floodMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    // then every one of them was answered, and the idle connections made room by being closed
    // (the server may still be accepting the last ones from the kernel's backlog)
    Poll.until(Duration.ofSeconds(30),
        () -> count(DnsMetrics.TCP_EVICTED) >= CONNECTIONS - DnsServer.DEFAULT_MAX_TCP_CONNECTIONS,
        "idle connections evicted");
    double evicted = count(DnsMetrics.TCP_EVICTED);
    System.out.printf(
        "TcpFloodTest: %d idle connections in %d ms; %d TCP and %d UDP answers during the flood;"
            + " %.0f evicted, %.0f rejected%n",
        CONNECTIONS, floodMillis, tcpAnswers, udpAnswers, evicted, count(DnsMetrics.TCP_REJECTED));
    assertThat(evicted).isGreaterThanOrEqualTo(CONNECTIONS - DnsServer.DEFAULT_MAX_TCP_CONNECTIONS);
    assertThat(count(DnsMetrics.TCP_REJECTED)).isZero();
    assertAnswered(tcpQueryOnNewConnection(0));
  }

  /** A new client each time: a fresh connection, one query, the answer, close. */
  private Message tcpQueryOnNewConnection(int id) throws IOException {
    try (Socket socket = RawDns.tcp(server.address(), 5_000)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DnsStreamFrame.write(out, RawDns.query("www.google.com.", Type.A, id & 0xFFFF));
      out.flush();
      return new Message(DnsStreamFrame.read(new DataInputStream(socket.getInputStream())));
    }
  }

  private static Message query() throws IOException {
    return Message.newQuery(
        org.xbill.DNS.Record.newRecord(
            org.xbill.DNS.Name.fromString("www.google.com."), Type.A, org.xbill.DNS.DClass.IN));
  }

  private static void assertAnswered(Message response) {
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getSectionArray(Section.ANSWER)).hasSize(1);
  }
}
