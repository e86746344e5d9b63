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
 * target/console-www.naver.com.png.
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
    return "http://console.example.org/?name=" + name + "&flush&go"
        + "&recursor=http://" + hostPort(lab.recursor.adminAddress())
        + "&router=http://" + hostPort(lab.router.adminAddress());
  }

  private static List<String> flags() {
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
    String chromium = HeadlessChromium.require();
    Path png = Path.of("target", "console-www.naver.com.png").toAbsolutePath();
    Files.deleteIfExists(png);

    HeadlessChromium.run(chromium, concat(flags(), "--screenshot=" + png), consoleUrl("www.naver.com"), null);

    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(10_000);
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
