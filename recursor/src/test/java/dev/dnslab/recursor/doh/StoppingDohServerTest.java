package dev.dnslab.recursor.doh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.tls.IssuedCertificate;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.core.wire.ResponseSizeLimit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.dnslab.testing.BusyEventLoop;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;

/**
 * A stopping DoH server closes its connections itself. Netty 4.2's event loop closes its channels
 * only if it sees the shutdown before running its tasks; a shutdown that came while a task ran
 * ended the loop with the connection open: the socket never closed, and the TLS handler's
 * half-read record never released.
 */
class StoppingDohServerTest {
  /** How long the connection's loop stays busy at most, waiting for the shutdown to begin. */
  private static final Duration BUSY_AT_MOST = Duration.ofSeconds(1);

  /** Longer than the busy loop and the server's wait for its connections together. */
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  /** The start of a TLS handshake record (RFC 8446 5.1) announcing 512 bytes, of which none follow. */
  private static final byte[] HALF_A_CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00};

  @TempDir Path stateDir;

  @Test
  void closesAConnectionWithAHalfSentHandshakeEvenWhenItsLoopIsBusyAsTheLoopsStop() throws Exception {
    IssuedCertificate certificate = LabCertificateAuthority.loadOrCreate(stateDir)
        .issue(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()));
    // Two loops, the role's shared ones: the listener takes the first, the connection the second,
    // so only the connection's loop is kept busy and the listener closes at once.
    EventLoops loops = EventLoops.start(NettyTransport.NIO, 2);
    HandlerChain chain = HandlerChain.of((request, next) -> CompletableFuture.completedFuture(request.newResponse(Rcode.NOERROR)));
    DohServer server = DohServer.builder()
        .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .eventLoops(loops)
        .tls(certificate.serverContext(IssuedCertificate.HTTP_ALPN))
        .processor(new QueryProcessor(chain, new DnsMetrics(new SimpleMeterRegistry(), "recursor"), ResponseSizeLimit.DEFAULT_EDNS_UDP))
        .build()
        .start();
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
      client.setSoTimeout(READ_TIMEOUT_MILLIS);
      client.getOutputStream().write(HALF_A_CLIENT_HELLO);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MILLIS);
      while (server.openConnections().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(server.openConnections()).hasSize(1);
      Channel connection = server.openConnections().iterator().next();
      BusyEventLoop.untilShutdownBegins(connection.eventLoop(), BUSY_AT_MOST);

      server.close();
      loops.close();

      // Read until the server closes the connection (a read timeout fails the test): at most a TLS
      // alert comes first, as the handshake is cut short.
      assertThat(client.getInputStream().readAllBytes()).hasSizeLessThan(64);
      assertThat(connection.isOpen()).isFalse();
    } finally {
      server.close();
      loops.close();
    }
  }

}
