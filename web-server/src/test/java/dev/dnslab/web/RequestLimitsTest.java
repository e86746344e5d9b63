package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Oversized and slow requests get a status code or a closed connection, never a stack trace. */
class RequestLimitsTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  @TempDir static Path stateDir;
  @RegisterExtension
  static final RunningWebServer web = RunningWebServer.withBundledSites(() -> stateDir)
      .limits(WebLimits.DEFAULTS.withMaxBodyBytes(1024).withRequestTimeout(SHORT).withIdleTimeout(Duration.ofMillis(600)));

  @Test
  void answers431ToOversizedHeaders() {
    String response =
        web.raw("GET / HTTP/1.1\r\nHost: www.google.com\r\nCookie: " + "a".repeat(WebLimits.DEFAULT_MAX_HEADER_BYTES + 10) + "\r\n\r\n");

    assertThat(RunningWebServer.statusOf(response)).isEqualTo(431);
    assertThat(response).doesNotContain("Exception").doesNotContain("at io.netty");
  }

  @Test
  void answers414ToAnOverlongRequestLine() {
    String response =
        web.raw("GET /" + "a".repeat(WebLimits.DEFAULT_MAX_REQUEST_LINE_BYTES + 10) + " HTTP/1.1\r\nHost: www.google.com\r\n\r\n");

    assertThat(RunningWebServer.statusOf(response)).isEqualTo(414);
  }

  @Test
  void answers413ToABodyOverTheLimit() {
    String body = "x".repeat(2048);
    String response =
        web.raw("POST /_lab/echo HTTP/1.1\r\nHost: www.google.com\r\nContent-Length: " + body.length()
            + "\r\nConnection: close\r\n\r\n" + body);

    assertThat(RunningWebServer.statusOf(response)).isEqualTo(413);
  }

  @Test
  void answers400ToGarbage() {
    String response = web.raw("HELLO THERE\r\n\r\n");

    assertThat(RunningWebServer.statusOf(response)).isEqualTo(400);
    assertThat(response).doesNotContain("Exception");
  }

  @Test
  void answers408ToAClientThatSendsItsRequestTooSlowly() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), web.httpPort())) {
      socket.setSoTimeout((int) RunningWebServer.DEADLINE.toMillis());
      // Half a request, then nothing: the server must not wait forever for the rest.
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: www.goo".getBytes(StandardCharsets.US_ASCII));

      long started = System.nanoTime();
      String response = RunningWebServer.readUntilClosed(socket.getInputStream());

      assertThat(RunningWebServer.statusOf(response)).isEqualTo(408);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(RunningWebServer.DEADLINE);
    }
  }

  @Test
  void closesAnIdleKeptAliveConnection() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), web.httpPort())) {
      socket.setSoTimeout((int) RunningWebServer.DEADLINE.toMillis());
      socket.getOutputStream().write("GET /style.css HTTP/1.1\r\nHost: www.google.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      String response = RunningWebServer.readUntilClosed(socket.getInputStream());

      assertThat(RunningWebServer.statusOf(response)).isEqualTo(200);
      InputStream in = socket.getInputStream();
      assertThat(in.read()).isEqualTo(-1);
    }
  }
}
