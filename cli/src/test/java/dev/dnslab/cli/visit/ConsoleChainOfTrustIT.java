package dev.dnslab.cli.visit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dnslab.core.admin.AdminResponse;
import dev.dnslab.recursor.dnssec.LabChainOfTrust;
import dev.dnslab.recursor.trace.Trace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * The lab console draws the chain of trust of the recursor's {@code /trace} in headless Chromium: a
 * lock on each arrow to a name server, the chain zone by zone, and where a broken chain breaks. The
 * page and its scripts are the real console site; its admin endpoints are served from here with the
 * signed lab's real chains ({@link LabChainOfTrust}) in the /trace JSON, until the recursor's
 * validator writes them itself (then {@link ConsoleIT} sees them through the whole lab).
 */
class ConsoleChainOfTrustIT {
  private static final Path SITE = Path.of("..", "sites", "console.example.org");

  @TempDir static Path keyDir;
  static LabChainOfTrust.Signed labs;

  private HttpServer admin;

  @BeforeAll
  static void signTheLab() throws Exception {
    labs = LabChainOfTrust.Signed.in(keyDir);
  }

  @AfterEach
  void stopAdmin() {
    if (admin != null) {
      admin.stop(0);
    }
  }

  @Test
  void showsWhereTheChainBreaksForABogusName() throws Exception {
    String chromium = HeadlessChromium.require();
    Trace trace = ColdWalkTrace.of("www.google.com").withDnssec(labs.dsMismatch().validate("www.google.com.", Type.A));

    String dom = drawWalk(chromium, "www.google.com", trace, "SERVFAIL", List.of());

    assertThat(dom).contains("data-state=\"done\"");
    assertThat(dom).contains("data-from=\"isp\" data-to=\"root\"", "data-dnssec=\"SECURE\"", "data-dnssec=\"BOGUS\"");
    assertThat(dom).contains("\uD83D\uDD12 STEP 3-4", "\u274C STEP 7-8");
    assertThat(dom).contains("data-zone=\".\" data-security=\"SECURE\"", "data-zone=\"com.\" data-security=\"SECURE\"",
        "data-zone=\"google.com.\" data-security=\"BOGUS\"");
    assertThat(dom).contains("class=\"dnssec-break\" data-broken-at=\"google.com.\"",
        "The chain of trust breaks at google.com.: no DNSKEY of google.com. matches the DS from com.", "EDE 9");
  }

  @Test
  void drawsSecureLocksAndTheOpenLockOfAnUnsignedZone() throws Exception {
    String chromium = HeadlessChromium.require();
    Trace trace = ColdWalkTrace.of("www.example.org").withDnssec(labs.secure().validate("www.example.org.", Type.A));

    String dom = drawWalk(chromium, "www.example.org", trace, "NOERROR", trace.answer());

    assertThat(dom).contains("data-state=\"done\"");
    assertThat(dom).contains("\uD83D\uDD12 STEP 3-4", "\uD83D\uDD12 STEP 5-6", "\uD83D\uDD13 STEP 7-8");
    assertThat(dom).contains("data-zone=\"org.\" data-security=\"SECURE\"", "data-zone=\"example.org.\" data-security=\"INSECURE\"");
    assertThat(dom).contains("DNSKEY: " + labs.secure().zone("org.").keys().keySigningKeys().get(0).tag() + " KSK ED25519 (matches the DS)");
    assertThat(dom).doesNotContain("dnssec-break");
  }

  /** Serves the console and the admin paths it asks, has Chromium type {@code name}, returns the DOM. */
  private String drawWalk(String chromium, String name, Trace trace, String rcode, List<String> answer) throws Exception {
    String traceJson = AdminResponse.mapper().writeValueAsString(trace);
    String resolveJson = AdminResponse.mapper().writeValueAsString(Map.of("rcode", rcode, "answer", answer));
    admin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    admin.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/" -> file(exchange, "index.html", "text/html; charset=utf-8");
        case "/console.js", "/dnssec.js" -> file(exchange, path.substring(1), "text/javascript; charset=utf-8");
        case "/console.css" -> file(exchange, "console.css", "text/css; charset=utf-8");
        case "/trace" -> json(exchange, traceJson);
        case "/resolve" -> json(exchange, resolveJson);
        case "/cache" -> json(exchange, "[]");
        case "/cache/flush" -> json(exchange, "{}");
        case "/_lab/echo" -> json(exchange, "{\"server\":{\"address\":\"127.0.0.1\"},\"startLine\":{\"method\":\"GET\","
            + "\"target\":\"/_lab/echo\",\"version\":\"HTTP/1.1\"},\"headers\":{}}");
        default -> send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
      }
    });
    admin.start();
    String base = "http://127.0.0.1:" + admin.getAddress().getPort();
    String url = base + "/?name=" + name + "&go&recursor=" + base + "&router=" + base;
    return HeadlessChromium.run(chromium, List.of("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--virtual-time-budget=10000", "--enable-logging=stderr", "--v=0", "--dump-dom"), url, null);
  }

  private static void file(HttpExchange exchange, String file, String type) throws IOException {
    send(exchange, 200, type, Files.readAllBytes(SITE.resolve(file)));
  }

  private static void json(HttpExchange exchange, String body) throws IOException {
    send(exchange, 200, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
