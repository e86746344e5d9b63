package dev.dnslab.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.testing.BusyEventLoop;
import io.netty.channel.Channel;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A stopping admin server closes its connections itself. Netty 4.2's event loop closes its
 * channels only if it sees the shutdown before running its tasks; a shutdown that came while a
 * task ran ended the loop with the connection open: the socket never closed, and the HTTP
 * decoder's half-read request never released.
 */
class StoppingAdminServerTest {
  /** How long the connection's loop stays busy at most, waiting for the shutdown to begin. */
  private static final Duration BUSY_AT_MOST = Duration.ofSeconds(1);

  /** Longer than the busy loop and the server's wait for its connections together. */
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  @Test
  void closesAConnectionWithAHalfReadRequestEvenWhenItsLoopIsBusyAsTheLoopsStop() throws Exception {
    // Two loops, the role's shared ones: the listener takes the first, the connection the second,
    // so only the connection's loop is kept busy and the listener closes at once.
    EventLoops loops = EventLoops.start(NettyTransport.NIO, 2);
    AdminServer server = AdminServer.builder()
        .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .eventLoops(loops)
        .health(() -> null)
        .build()
        .start();
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
      client.setSoTimeout(READ_TIMEOUT_MILLIS);
      // One whole request, answered, and the start of the next, which the decoder keeps.
      client.getOutputStream().write(
          "GET /health HTTP/1.1\r\nHost: admin\r\n\r\nGET /metrics HTTP/1.1\r\nHost: adm".getBytes(StandardCharsets.US_ASCII));
      readHeaderBlock(client.getInputStream());
      assertThat(server.openConnections()).hasSize(1);
      Channel connection = server.openConnections().iterator().next();
      BusyEventLoop.untilShutdownBegins(connection.eventLoop(), BUSY_AT_MOST);

      server.close();
      loops.close();

      InputStream in = client.getInputStream();
      in.skipNBytes("ok\n".length());
      assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
      assertThat(connection.isOpen()).isFalse();
    } finally {
      server.close();
      loops.close();
    }
  }


  private static void readHeaderBlock(InputStream in) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed before the response's header block ended: " + seen);
      }
      seen.write(b);
    }
  }
}
