package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The access log's line, byte for byte as the README shows it, however it is built. */
class AccessLogTest {
  @TempDir static Path stateDir;

  @RegisterExtension static final RunningWebServer web = RunningWebServer.withBundledSites(() -> stateDir);

  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 80);

  private static WebExchange exchange(
      InetSocketAddress client, HttpMethod method, String uri, String userAgent, boolean http2) {
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER);
    if (userAgent != null) {
      request.headers().set("User-Agent", userAgent);
    }
    return new WebExchange(
        request, http2 ? WebExchange.H2 : "HTTP/1.1", "http", client, SERVER, http2 ? new DefaultHttp2Headers() : null, 0);
  }

  @Test
  void formatsTheLineAsTheReadmeShowsIt() {
    WebExchange exchange = exchange(new InetSocketAddress("127.0.0.1", 51234), HttpMethod.GET, "/", "curl/7.88.1", false);

    assertThat(AccessLog.format(exchange, "www.google.com", 200, 1432, 400_000))
        .isEqualTo("127.0.0.1:51234 www.google.com \"GET / HTTP/1.1\" 200 1432 HTTP/1.1 0.4ms \"curl/7.88.1\"");
  }

  @Test
  void namesHttp2InTheRequestAndH2AsTheProtocol() {
    WebExchange exchange = exchange(new InetSocketAddress("127.0.0.1", 40000), HttpMethod.HEAD, "/a?b=c", "h2load", true);

    assertThat(AccessLog.format(exchange, "www.example.org", 200, 0, 1_250_000))
        .isEqualTo("127.0.0.1:40000 www.example.org \"HEAD /a?b=c HTTP/2\" 200 0 h2 1.3ms \"h2load\"");
  }

  @Test
  void takesTheUserAgentFromTheHttp2HeaderBlockOfAShortWayRequest() {
    // Http2BodilessResponder's request: the method and target, no header fields of its own.
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER);
    DefaultHttp2Headers headers = new DefaultHttp2Headers();
    headers.method("GET").path("/").authority("www.google.com").add("user-agent", "h2load nghttp2/1.52.0");
    WebExchange exchange =
        new WebExchange(
            request, WebExchange.H2, "https", new InetSocketAddress("127.0.0.1", 40000), SERVER, headers, 0);

    assertThat(AccessLog.format(exchange, "www.google.com", 200, 2498, 100_000))
        .isEqualTo("127.0.0.1:40000 www.google.com \"GET / HTTP/2\" 200 2498 h2 0.1ms \"h2load nghttp2/1.52.0\"");
  }

  @Test
  void writesADashForAMissingClientSiteOrUserAgent() {
    WebExchange exchange = exchange(null, HttpMethod.GET, "/x", null, false);

    assertThat(AccessLog.format(exchange, null, 400, 12, 0))
        .isEqualTo("- - \"GET /x HTTP/1.1\" 400 12 HTTP/1.1 0.0ms \"-\"");
  }

  @Test
  void roundsMillisecondsHalfUpToOneDecimal() {
    WebExchange exchange = exchange(null, HttpMethod.GET, "/", null, false);

    assertThat(AccessLog.format(exchange, null, 200, 0, 49_999)).contains(" 0.0ms ");
    assertThat(AccessLog.format(exchange, null, 200, 0, 50_000)).contains(" 0.1ms ");
    assertThat(AccessLog.format(exchange, null, 200, 0, 1_234_567_890)).contains(" 1234.6ms ");
    assertThat(AccessLog.format(exchange, null, 200, 0, -5)).contains(" 0.0ms ");
  }

  @Test
  void writesAnIpv6ClientAsTheJdkPrintsItsAddress() {
    WebExchange exchange = exchange(new InetSocketAddress("::1", 8080), HttpMethod.GET, "/", null, false);

    assertThat(AccessLog.format(exchange, "www.google.com", 200, 1, 0)).startsWith("0:0:0:0:0:0:0:1:8080 www.google.com ");
  }

  @Test
  void logsOneLinePerRequestOfTheShortWayWithTheClientsOwnPort() throws Exception {
    Logger access = (Logger) LoggerFactory.getLogger("dnslab.access");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    access.addAppender(lines);
    try {
      String response = web.raw("GET /?from=test HTTP/1.1\r\nHost: www.google.com\r\nUser-Agent: access-log-test\r\n"
          + "\r\nGET /?from=test HTTP/1.1\r\nHost: www.google.com\r\nUser-Agent: access-log-test\r\nConnection: close\r\n\r\n");
      assertThat(RunningWebServer.statusOf(response)).isEqualTo(200);

      long deadline = System.nanoTime() + RunningWebServer.DEADLINE.toNanos();
      while (mine(lines).size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      List<String> logged = mine(lines);
      assertThat(logged).hasSize(2);
      // Both on one connection: the same client address and port, the short way's and the normal path's.
      assertThat(logged.get(0)).matches(
          "127\\.0\\.0\\.1:\\d+ www\\.google\\.com \"GET /\\?from=test HTTP/1\\.1\" 200 \\d+ HTTP/1\\.1 \\d+\\.\\dms \"access-log-test\"");
      assertThat(logged.get(1).substring(0, logged.get(1).indexOf(' '))).isEqualTo(logged.get(0).substring(0, logged.get(0).indexOf(' ')));
    } finally {
      access.detachAppender(lines);
    }
  }

  private static List<String> mine(ListAppender<ILoggingEvent> lines) {
    synchronized (lines) {
      return new ArrayList<>(lines.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(line -> line.contains("access-log-test")).toList());
    }
  }
}
