package dev.dnslab.cli.visit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnslab.cli.visit.VisitReport.CacheCheck;
import dev.dnslab.cli.visit.VisitReport.WalkStep;
import dev.dnslab.testing.Tool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dnslab visit} against a lab started here: every step's content, cold and warm, English and
 * Korean, JSON. The packets of the TCP connection come from tshark, so the one test that checks them
 * needs tshark able to capture on lo; the others visit without capturing.
 */
class VisitIT {
  private static VisitLab lab;

  @TempDir Path state;

  @BeforeAll
  static void startLab() throws Exception {
    lab = VisitLab.start();
  }

  @AfterAll
  static void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  private VisitReport visit(String url, VisitOptions options) throws Exception {
    return new Visit(options).run(url);
  }

  private static List<String> results(VisitReport report) {
    return report.caches().stream().map(c -> c.cache() + ":" + c.result()).toList();
  }

  @Test
  void coldVisitMissesEveryCacheAndWalksRootTldAuthoritative() throws Exception {
    VisitReport report = visit("http://www.google.com/", lab.options(state).noCache(true).build());

    assertThat(results(report)).containsExactly("browser:miss", "os:miss", "router:miss", "isp:miss");
    assertThat(report.lookup().answeredBy()).isEqualTo("walk");
    List<WalkStep> walk = report.lookup().walk().steps().stream().filter(s -> s.depth() == 0).toList();
    assertThat(walk).extracting(WalkStep::role).containsExactly("root", "tld", "authoritative");
    assertThat(walk).extracting(WalkStep::articleStep).containsExactly("3-4", "5-6", "7-8");
    assertThat(walk).extracting(WalkStep::reply).containsExactly("REFERRAL", "REFERRAL", "ANSWER");
    assertThat(walk.get(0).referral()).isEqualTo("com.");
    assertThat(walk.get(1).referral()).isEqualTo("google.com.");
    assertThat(walk.get(2).answer()).anyMatch(a -> a.contains(lab.webAddress()));
    assertThat(walk).allMatch(s -> s.address() != null && s.durationMillis() >= 0);
    assertThat(report.lookup().addresses()).containsExactly(lab.webAddress());
    assertThat(report.lookup().ttl()).isPositive();
  }

  @Test
  void coldVisitConnectsAsksAndRendersTheLabPage() throws Exception {
    VisitReport report = visit("http://www.google.com/", lab.options(state).noCache(true).capture(false).build());

    assertThat(report.connection().server()).isEqualTo(lab.webAddress() + ":" + lab.web.httpAddress().getPort());
    assertThat(report.connection().connectMillis()).isNotNegative();
    assertThat(report.connection().note()).contains("tshark");
    var request = report.exchange().request();
    assertThat(request.startLine()).isEqualTo("GET / HTTP/1.1");
    assertThat(request.headers()).anyMatch(h -> h.name().equals("Host") && h.group().equals("request"));
    assertThat(request.headers()).anyMatch(h -> h.name().equals("Connection") && h.group().equals("general"));
    var response = report.exchange().response();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.statusText()).isEqualTo("OK");
    assertThat(response.headers()).anyMatch(h -> h.name().equalsIgnoreCase("Content-Type") && h.group().equals("representation"));
    assertThat(response.body().readAs()).isEqualTo("html");
    assertThat(report.rendering().title()).containsIgnoringCase("google");
    assertThat(report.rendering().text()).contains("dnslab");
  }

  @Test
  void secondVisitHitsTheBrowserCacheAndSkipsTheWalk() throws Exception {
    visit("http://www.google.com/", lab.options(state).noCache(true).build());

    VisitReport warm = visit("http://www.google.com/", lab.options(state).build());

    assertThat(results(warm)).containsExactly("browser:hit", "os:skipped", "router:skipped", "isp:skipped");
    CacheCheck browser = warm.caches().get(0);
    assertThat(browser.ttl()).isBetween(1L, HostCache.BROWSER_LIFETIME_SECONDS);
    assertThat(browser.addresses()).containsExactly(lab.webAddress());
    assertThat(warm.lookup().walk()).isNull();
    assertThat(warm.exchange().response().statusCode()).isEqualTo(200);
  }

  @Test
  void afterAMinuteTheOsCacheStillHasWhatTheBrowserForgot() throws Exception {
    visit("http://www.google.com/", lab.options(state).noCache(true).build());
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(HostCache.BROWSER_LIFETIME_SECONDS + 1));

    VisitReport report = visit("http://www.google.com/", lab.options(state).clock(later).capture(false).build());

    assertThat(results(report)).containsExactly("browser:miss", "os:hit", "router:skipped", "isp:skipped");
  }

  @Test
  void anotherComputerBehindTheSameRouterHitsTheRouterCache(@TempDir Path otherComputer) throws Exception {
    visit("http://www.naver.com/", lab.options(state).noCache(true).capture(false).build());

    VisitReport report = visit("http://www.naver.com/", lab.options(otherComputer).capture(false).build());

    assertThat(results(report)).containsExactly("browser:miss", "os:miss", "router:hit", "isp:skipped");
    assertThat(report.caches().get(2).ttl()).isPositive();
    assertThat(report.lookup().answeredBy()).isEqualTo("router");
    assertThat(report.lookup().answer()).anyMatch(a -> a.contains("CNAME"));
  }

  @Test
  void httpsVisitTrustsTheLabCaAndChecksTheName() throws Exception {
    // The web server's certificate comes from the lab CA in the lab's state directory.
    VisitReport report = visit("https://www.google.com/", lab.options(lab.stateDir).noCache(true).capture(false).build());

    assertThat(report.exchange().https()).isTrue();
    assertThat(report.exchange().response().statusCode()).isEqualTo(200);
    assertThat(report.connection().server()).endsWith(":" + lab.web.httpsAddress().getPort());
  }

  @Test
  void withoutARouterTheComputerAsksTheRecursorItself() throws Exception {
    java.net.InetSocketAddress nobody = new java.net.InetSocketAddress("127.0.0.1", 1);
    VisitOptions options = lab.options(state).noCache(true).capture(false)
        .router(nobody, nobody).build();

    VisitReport report = visit("http://www.example.org/", options);

    assertThat(results(report)).containsExactly("browser:miss", "os:miss", "router:unknown", "isp:miss");
    assertThat(report.lookup().addresses()).containsExactly(lab.webAddress());
  }

  @Test
  void screenshotIsDrawnByHeadlessChromium() throws Exception {
    HeadlessChromium.requireForScreenshots();
    Path png = Path.of("target", "visit-www.google.com.png").toAbsolutePath();
    Files.deleteIfExists(png);

    VisitReport report = visit("http://www.google.com/", lab.options(state).capture(false).screenshot(png).build());

    assertThat(report.rendering().screenshotNote()).isNull();
    assertThat(report.rendering().screenshot()).isEqualTo(png.toString());
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  @Test
  void printsTheStoryInEnglishAndInTheArticlesKorean() throws Exception {
    VisitReport cold = visit("http://www.google.com/", lab.options(state).noCache(true).capture(false).build());

    String english = VisitPrinter.print(cold, "en", "lo");
    String korean = VisitPrinter.print(cold, "ko", "lo");

    assertThat(english).contains("1) ", "browser cache", "OS cache", "router cache", "ISP cache", "root name server",
        "TLD name server", "authoritative name server", "[STEP 3-4]", "[STEP 7-8]", "3) TCP connection",
        "start line: GET / HTTP/1.1", "[request header]", "[general header]", "status code 200",
        "[representation header]", "5) Rendering", "6) Closing");
    assertThat(korean).contains("브라우저 캐시", "OS 캐시", "라우터 캐시", "ISP 캐시", "루트 네임 서버", "TLD 네임 서버",
        "Authoritative 네임 서버", "리다이렉트", "three-way handshake", "HTTP 메소드", "Status Code", "Status Text",
        "Content-Type", "브라우저 렌더링", "TCP 연결 종료");
  }

  @Test
  void capturedVisitShowsTheHandshakeAndTheCloseFromTheWire() throws Exception {
    Tool.TSHARK.require();

    VisitReport report = visit("http://www.google.com/", lab.options(state).noCache(true).build());

    assertThat(report.connection().captured()).as(report.connection().note()).isTrue();
    assertThat(report.connection().packets()).extracting(VisitReport.Packet::flags).containsExactly("SYN", "SYN-ACK", "ACK");
    assertThat(report.connection().packets()).extracting(VisitReport.Packet::state)
        .containsExactly("SYN_SENT", "SYN_RECEIVED", "ESTABLISHED");
    VisitReport.Packet syn = report.connection().packets().get(0);
    VisitReport.Packet synAck = report.connection().packets().get(1);
    assertThat(synAck.ack()).isEqualTo(syn.seq() + 1);
    assertThat(report.closing().packets()).anyMatch(p -> p.flags().startsWith("FIN") && p.from().equals("client"));
    assertThat(report.closing().packets()).anyMatch(p -> p.flags().startsWith("FIN") && p.from().equals("server"));
    assertThat(VisitPrinter.print(report, "en", "lo"))
        .contains("SYN", "SYN-ACK", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN");
    assertThat(VisitPrinter.print(report, "ko", "lo")).contains("SYN_SENT", "SYN_RECEIVED", "ESTABLISHED");
  }

  @Test
  void commandPrintsAStableJsonDocument() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new VisitCommand());
    command.setOut(new PrintWriter(out));
    int exit = command.execute("--json", "--no-cache", "--state-dir", state.toString(),
        "--router", hostPort(lab.router.dnsAddress()), "--router-admin", hostPort(lab.router.adminAddress()),
        "--recursor-admin", hostPort(lab.recursor.adminAddress()),
        "--http-port", Integer.toString(lab.web.httpAddress().getPort()), "http://www.example.org/");

    assertThat(exit).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.fieldNames()).toIterable()
        .containsExactly("url", "host", "caches", "lookup", "connection", "exchange", "rendering", "closing");
    assertThat(json.path("caches").get(0).fieldNames()).toIterable()
        .containsExactly("cache", "result", "ttl", "addresses", "where");
    assertThat(json.path("lookup").path("walk").path("steps").get(0).path("role").asText()).isEqualTo("root");
    assertThat(json.path("exchange").path("response").path("statusCode").asInt()).isEqualTo(200);
    assertThat(json.path("exchange").path("request").path("headers").get(0).fieldNames()).toIterable()
        .containsExactly("name", "value", "group");
    assertThat(Files.exists(state.resolve(VisitState.FILE_NAME))).isTrue();
  }

  @Test
  void printsALockOnEveryStepOfAValidatedWalk() throws Exception {
    VisitReport report = visit("http://www.google.com/", lab.options(state).noCache(true).capture(false).build());

    String text = VisitPrinter.print(report, "en", "lo", LockGlyphs.UNICODE);

    assertThat(text).contains("[STEP 3-4] \uD83D\uDD12 root name server", "[STEP 5-6] \uD83D\uDD12 TLD name server",
        "[STEP 7-8] \uD83D\uDD12 authoritative name server");
    assertThat(text).contains("The chain of trust (DNSSEC), from the root's trust anchor down: \uD83D\uDD12 secure",
        "(matches the DS)");
    assertThat(text).doesNotContain("breaks");
  }

  @Test
  void showsWhereTheChainBreaksUnderBadSignatures() throws Exception {
    try (VisitLab broken = VisitLab.start("dnssec-bad-signature")) {
      VisitReport report = visit("http://www.google.com/", broken.options(state).noCache(true).capture(false).build());

      String text = VisitPrinter.print(report, "en", "lo", LockGlyphs.UNICODE);

      assertThat(text).contains("[STEP 3-4] \uD83D\uDD12", "[STEP 5-6] \uD83D\uDD12", "[STEP 7-8] \u274C authoritative");
      // RFC 4035 5.3.3: no signature verifies, so the answer is bogus; RFC 8914 4.7: EDE 6, DNSSEC Bogus.
      assertThat(text).contains("\u274C BOGUS, EDE 6 DNSSEC_BOGUS",
          "\u274C The chain of trust breaks at google.com.:", "No IP address for www.google.com");
    }
  }

  private static String hostPort(java.net.InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
