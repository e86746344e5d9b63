package dev.dnslab.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.handler.EdnsHandler;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.testing.Poll;
import dev.dnslab.core.testing.RawDns;
import dev.dnslab.testing.DnsStreamFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** RFC 7766 6.2: idle connections are closed and concurrent connections are capped. */
class TcpConnectionPolicyTest {
  /** Queries for this name are answered only when the test releases them: a busy connection. */
  private static final String HELD = "held.example.";

  private final List<Runnable> held = new CopyOnWriteArrayList<>();
  private DnsServer server;
  private DnsMetrics metrics;

  @BeforeEach
  void start() throws Exception {
    metrics = new DnsMetrics(new SimpleMeterRegistry(), "test");
    server =
        DnsServer.builder("test")
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .metrics(metrics)
            .threads(1)
            .tcpIdleTimeout(Duration.ofMillis(300))
            .maxTcpConnections(2)
            .chain(HandlerChain.of(new EdnsHandler(), (request, next) -> {
              CompletableFuture<Message> answer = new CompletableFuture<>();
              if (request.question().getName().toString().equals(HELD)) {
                held.add(() -> answer.complete(request.newResponse(Rcode.NOERROR)));
              } else {
                answer.complete(request.newResponse(Rcode.NOERROR));
              }
              return answer;
            }))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    held.forEach(Runnable::run);
    server.close();
  }

  @Test
  void closesIdleConnection() throws Exception {
    try (Socket socket = RawDns.tcp(server.address(), 5000)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DnsStreamFrame.write(out, RawDns.query("example.", Type.A, 1));
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      assertThat(new Message(DnsStreamFrame.read(in)).getHeader().getID()).isEqualTo(1);
      long start = System.nanoTime();
      assertThat(in.read()).isEqualTo(-1); // the server closed it
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void closesNewConnectionWhenEveryConnectionIsBusy() throws Exception {
    try (Socket first = RawDns.tcp(server.address(), 5000);
        Socket second = RawDns.tcp(server.address(), 5000)) {
      DataOutputStream firstOut = new DataOutputStream(first.getOutputStream());
      DnsStreamFrame.write(firstOut, RawDns.query(HELD, Type.A, 3));
      firstOut.flush();
      DataOutputStream secondOut = new DataOutputStream(second.getOutputStream());
      DnsStreamFrame.write(secondOut, RawDns.query(HELD, Type.A, 4));
      secondOut.flush();
      Poll.until(Duration.ofSeconds(3), () -> held.size() == 2, "two queries in flight");
      try (Socket third = RawDns.tcp(server.address(), 5000)) {
        InputStream in = third.getInputStream();
        assertThat(in.read()).isEqualTo(-1);
      }
      // the first two still work
      DataOutputStream out = new DataOutputStream(first.getOutputStream());
      DnsStreamFrame.write(out, RawDns.query("example.", Type.A, 5));
      out.flush();
      assertThat(new Message(DnsStreamFrame.read(new DataInputStream(first.getInputStream()))).getHeader().getID()).isEqualTo(5);
      assertThat(metrics.registry().get(DnsMetrics.TCP_REJECTED).counter().count()).isEqualTo(1);
    }
  }

  @Test
  void closesTheConnectionIdleLongestToAdmitANewOne() throws Exception {
    try (Socket oldest = RawDns.tcp(server.address(), 5000);
        Socket newer = RawDns.tcp(server.address(), 5000)) {
      Poll.until(Duration.ofSeconds(3), () -> metrics.openTcpConnections() == 2, "two connections open");
      // RFC 7766 6.2.3: under pressure the idle connection goes, the newcomer is served.
      try (Socket newcomer = RawDns.tcp(server.address(), 5000)) {
        DataOutputStream out = new DataOutputStream(newcomer.getOutputStream());
        DnsStreamFrame.write(out, RawDns.query("example.", Type.A, 6));
        out.flush();
        assertThat(new Message(DnsStreamFrame.read(new DataInputStream(newcomer.getInputStream()))).getHeader().getID())
            .isEqualTo(6);
        assertThat(oldest.getInputStream().read()).isEqualTo(-1);
        assertThat(metrics.registry().get(DnsMetrics.TCP_EVICTED).counter().count()).isEqualTo(1);
        DataOutputStream newerOut = new DataOutputStream(newer.getOutputStream());
        DnsStreamFrame.write(newerOut, RawDns.query("example.", Type.A, 7));
        newerOut.flush();
        assertThat(new Message(DnsStreamFrame.read(new DataInputStream(newer.getInputStream()))).getHeader().getID())
            .isEqualTo(7);
      }
    }
  }

  @Test
  void bindsUdpAndTcpOnTheSamePort() throws Exception {
    byte[] reply = RawDns.udpExchange(server.address(), RawDns.query("example.", Type.A, 9), 2000);
    assertThat(new Message(reply).getHeader().getID()).isEqualTo(9);
  }
}
