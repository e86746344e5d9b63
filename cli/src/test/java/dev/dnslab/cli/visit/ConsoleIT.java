package dev.dnslab.cli.visit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab console in headless Chromium: a learner types www.naver.com and presses Enter, and the
 * page draws the walk. The page is told the name and to press Enter by its query string; Chromium
 * runs the script until the network is quiet, then prints the DOM. A screenshot is kept as
 * target/console-www.naver.com.png. The lab is signed and its recursor validates, so the page also
 * draws the chain of trust of the recursor's /trace: a lock on each arrow to a name server, the chain
 * zone by zone, and, in a broken-DNSSEC scenario, where the chain breaks.
 */
class ConsoleIT {
  private static VisitLab lab;

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

  private static String consoleUrl(String name) {
    return consoleUrl(lab, name);
  }

  private static String consoleUrl(VisitLab lab, String name) {
    return "http://console.example.org/?name=" + name + "&flush&go"
        + "&recursor=http://" + hostPort(lab.recursor.adminAddress())
        + "&router=http://" + hostPort(lab.router.adminAddress());
  }

  private static List<String> flags() {
    return flags(lab);
  }

  private static List<String> flags(VisitLab lab) {
    return List.of(
        "--host-resolver-rules=MAP console.example.org " + lab.webAddress() + ":" + lab.web.httpAddress().getPort()
            // The admin ports are asked by IP address; IP literals go through the rules too.
            + ", EXCLUDE " + lab.recursor.adminAddress().getAddress().getHostAddress()
            + ", EXCLUDE " + lab.router.adminAddress().getAddress().getHostAddress()
            + ", MAP * ~NOTFOUND",
        "--virtual-time-budget=20000", "--enable-logging=stderr", "--v=0", "--window-size=1400,1600", "--hide-scrollbars");
  }

  @Test
  void drawsTheWalkForANameTypedIntoTheConsole() throws Exception {
    String chromium = HeadlessChromium.require();

    String dom = HeadlessChromium.run(chromium, concat(flags(), "--dump-dom"), consoleUrl("www.naver.com"), null);

    assertThat(dom).contains("data-state=\"done\"");
    assertThat(dom).contains("data-to=\"browser\"", "data-to=\"os\"", "data-to=\"router\"", "data-to=\"isp\"");
    assertThat(dom).contains("data-from=\"isp\" data-to=\"root\"", "data-from=\"root\" data-to=\"isp\"",
        "data-from=\"isp\" data-to=\"tld\"", "data-from=\"isp\" data-to=\"authoritative\"");
    assertThat(dom).contains("data-reply=\"REFERRAL\"", "STEP 3-4", "STEP 5-6", "STEP 7-8");
    assertThat(dom).contains("www.naver.com = " + lab.webAddress());
    assertThat(dom).contains("SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "GET / HTTP/1.1 | Host: www.naver.com", "FIN");
    assertThat(dom).contains("data-cache=\"router\"", "data-cache=\"isp\"", "data-cache=\"browser\"");
  }

  @Test
  void savesAScreenshotOfTheDrawnWalk() throws Exception {
    String chromium = HeadlessChromium.requireForScreenshots();
    Path png = Path.of("target", "console-www.naver.com.png").toAbsolutePath();
    Files.deleteIfExists(png);

    HeadlessChromium.run(chromium, concat(flags(), "--screenshot=" + png), consoleUrl("www.naver.com"), null);

    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  @Test
  void drawsALockOnEveryStepOfASecureWalk() throws Exception {
    String chromium = HeadlessChromium.require();

    String dom = HeadlessChromium.run(chromium, concat(flags(), "--dump-dom"), consoleUrl("www.google.com"), null);

    assertThat(dom).contains("data-state=\"done\"", "www.google.com = " + lab.webAddress());
    assertThat(dom).contains("\uD83D\uDD12 STEP 3-4", "\uD83D\uDD12 STEP 5-6", "\uD83D\uDD12 STEP 7-8");
    assertThat(dom).contains("data-from=\"isp\" data-to=\"root\"", "data-dnssec=\"SECURE\"");
    assertThat(dom).contains("data-zone=\".\" data-security=\"SECURE\"", "data-zone=\"com.\" data-security=\"SECURE\"",
        "data-zone=\"google.com.\" data-security=\"SECURE\"");
    assertThat(dom).contains("DS from the trust anchor: " + rootKeyTag(lab) + " ", "(matches the DS)");
    assertThat(dom).doesNotContain("dnssec-break", "data-dnssec=\"BOGUS\"");
  }

  @Test
  void drawsTheOpenLockOfAnUnsignedZone() throws Exception {
    String chromium = HeadlessChromium.require();

    String dom = HeadlessChromium.run(chromium, concat(flags(), "--dump-dom"), consoleUrl("www.example.org"), null);

    assertThat(dom).contains("data-state=\"done\"", "www.example.org = " + lab.webAddress());
    assertThat(dom).contains("\uD83D\uDD12 STEP 3-4", "\uD83D\uDD12 STEP 5-6", "\uD83D\uDD13 STEP 7-8");
    assertThat(dom).contains("data-zone=\"org.\" data-security=\"SECURE\"",
        "data-zone=\"example.org.\" data-security=\"INSECURE\"");
    assertThat(dom).doesNotContain("dnssec-break");
  }

  @Test
  void showsWhereTheChainBreaksUnderExpiredSignatures() throws Exception {
    String chromium = HeadlessChromium.require();
    try (VisitLab expired = VisitLab.start("dnssec-expired")) {
      String dom = HeadlessChromium.run(chromium, concat(flags(expired), "--dump-dom"),
          consoleUrl(expired, "www.google.com"), null);

      assertThat(dom).contains("data-state=\"done\"", "SERVFAIL: no address for www.google.com");
      assertThat(dom).contains("\uD83D\uDD12 STEP 3-4", "\uD83D\uDD12 STEP 5-6", "\u274C STEP 7-8");
      assertThat(dom).contains("data-dnssec=\"SECURE\"", "data-dnssec=\"BOGUS\"");
      assertThat(dom).contains("data-zone=\"com.\" data-security=\"SECURE\"",
          "data-zone=\"google.com.\" data-security=\"BOGUS\"");
      // RFC 8914 4.8: EDE 7, Signature Expired.
      assertThat(dom).contains("class=\"dnssec-break\" data-broken-at=\"google.com.\"",
          "The chain of trust breaks at google.com.", "EDE 7");
    }
  }

  /** The key tag of the lab root's key-signing key, as its trust anchor (a DS) names it. */
  private static int rootKeyTag(VisitLab lab) {
    return lab.authorities.trustAnchor().ds().get(0).getFootprint();
  }

  private static List<String> concat(List<String> list, String more) {
    List<String> all = new java.util.ArrayList<>(list);
    all.add(more);
    return all;
  }

  private static String hostPort(java.net.InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
