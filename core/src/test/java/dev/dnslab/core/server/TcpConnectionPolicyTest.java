package dev.dnslab.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.handler.EdnsHandler;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.testing.Poll;
import dev.dnslab.core.testing.RawDns;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** RFC 7766 6.2: idle connections are closed and concurrent connections are capped. */
class TcpConnectionPolicyTest {
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
            .chain(HandlerChain.of(new EdnsHandler(), (request, next) ->
                CompletableFuture.completedFuture(request.newResponse(Rcode.NOERROR))))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void closesIdleConnection() throws Exception {
    try (Socket socket = RawDns.tcp(server.address(), 5000)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      RawDns.writeFrame(out, RawDns.query("example.", Type.A, 1));
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      assertThat(new Message(RawDns.readFrame(in)).getHeader().getID()).isEqualTo(1);
      long start = System.nanoTime();
      assertThat(in.read()).isEqualTo(-1); // the server closed it
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void closesConnectionsOverTheCap() throws Exception {
    try (Socket first = RawDns.tcp(server.address(), 5000);
        Socket second = RawDns.tcp(server.address(), 5000)) {
      Poll.until(Duration.ofSeconds(3), () -> metrics.openTcpConnections() == 2, "two connections open");
      try (Socket third = RawDns.tcp(server.address(), 5000)) {
        InputStream in = third.getInputStream();
        assertThat(in.read()).isEqualTo(-1);
      }
      // the first two still work
      DataOutputStream out = new DataOutputStream(first.getOutputStream());
      RawDns.writeFrame(out, RawDns.query("example.", Type.A, 5));
      out.flush();
      assertThat(new Message(RawDns.readFrame(new DataInputStream(first.getInputStream()))).getHeader().getID()).isEqualTo(5);
    }
  }

  @Test
  void bindsUdpAndTcpOnTheSamePort() throws Exception {
    byte[] reply = RawDns.udpExchange(server.address(), RawDns.query("example.", Type.A, 9), 2000);
    assertThat(new Message(reply).getHeader().getID()).isEqualTo(9);
  }
}
