package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.BusyEventLoop;
import io.netty.channel.Channel;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopping server closes every open connection itself. Netty 4.2's event loop closes its
 * channels only if it sees the shutdown before running its tasks; a shutdown that comes while a
 * task runs (a busy loop: SlowClientsTest's 1,000 closing connections) ended the loop with its
 * connections open: the socket never closed, and the HTTP decoder's half-read request, the
 * buffer the transport read, never released (Netty's leak detector at paranoid level).
 */
class StoppingServerTest {
  /** How long the connection's loop stays busy at most, waiting for the shutdown to begin. */
  private static final Duration BUSY_AT_MOST = Duration.ofSeconds(1);

  @TempDir Path stateDir;

  @Test
  void closesAConnectionWithAHalfReadRequestEvenWhenItsLoopIsBusyAsTheLoopsStop() throws Exception {
    // Three loops: the HTTP and HTTPS listeners take the first two, the connection the third,
    // so only the connection's loop is kept busy and the listeners still close at once.
    WebServerConfig config = WebServerConfig.onPorts(InetAddress.getLoopbackAddress(), 0, 0, 0, BundledSites.extract(), stateDir)
        .withThreads(3);
    WebServer server = new WebServer(config).start();
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.httpAddress().getPort())) {
      client.setSoTimeout((int) (BUSY_AT_MOST.toMillis() + RunningWebServer.DEADLINE.toMillis()));
      // One whole request, answered, and the start of the next, which the decoder keeps.
      client.getOutputStream().write(
          ("HEAD /style.css HTTP/1.1\r\nHost: www.google.com\r\n\r\nGET / HTTP/1.1\r\nHost: www.goo")
              .getBytes(StandardCharsets.US_ASCII));
      readHeaderBlock(client.getInputStream());
      assertThat(server.openConnections().size()).isEqualTo(1);
      Channel connection = server.openConnections().iterator().next();
      BusyEventLoop.untilShutdownBegins(connection.eventLoop(), BUSY_AT_MOST);

      server.close();

      assertThat(client.getInputStream().read()).as("the server closed the connection").isEqualTo(-1);
      assertThat(connection.isOpen()).isFalse();
    } finally {
      server.close();
    }
  }


  private static void readHeaderBlock(InputStream in) throws java.io.IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new java.io.EOFException("closed before the response's header block ended: " + seen);
      }
      seen.write(b);
    }
  }
}
