package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.testing.Tool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `dnslab up` as a learner uses it: every service of the embedded lab, reached with dig and curl
 * alone. The names are resolved by our recursor (plain, through the router, and over DoH), and the
 * page comes from our web server.
 */
class WholeLabIT {
  @TempDir static Path state;
  private static EmbeddedLab lab;
  private static String port;

  @BeforeAll
  static void start() throws Exception {
    lab = EmbeddedLab.builder()
        .plan(AddressPlan.EMBEDDED.withDnsPort(0))
        .zones(Path.of("../zones"))
        .everything()
        .webPorts(0, 0)
        .encryptedDnsPorts(0, 0)
        .stateDir(state)
        .build()
        .start();
    port = String.valueOf(lab.plan().dnsPort());
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void recursorResolvesWwwGoogleComThroughTheHierarchy() throws Exception {
    Tool.DIG.require();
    String out = ExternalCommand.run(List.of("dig", "@127.53.0.53", "-p", port, "www.google.com"));
    assertThat(out).contains("status: NOERROR").contains(" ra").containsPattern("www\\.google\\.com\\.\\s+\\d+\\s+IN\\s+A\\s+127\\.53\\.0\\.80");
  }

  @Test
  void routerForwardsToTheRecursor() throws Exception {
    Tool.DIG.require();
    String out = ExternalCommand.run(List.of("dig", "+short", "@127.53.0.254", "-p", port, "www.example.co.kr"));
    assertThat(out.strip()).isEqualTo("127.53.0.80");
  }

  @Test
  void curlFetchesTheLabPageByName() throws Exception {
    Tool.CURL.require();
    int http = lab.webServer().httpAddress().getPort();
    String page = ExternalCommand.run(List.of("curl", "-sS", "--max-time", "10",
        "--resolve", "www.naver.com:" + http + ":127.53.0.80", "http://www.naver.com:" + http + "/"));
    assertThat(page).contains("<title>").containsIgnoringCase("naver");
  }

  @Test
  void curlResolvesOverDohAndFetchesOverHttps() throws Exception {
    Tool.CURL.require();
    int doh = lab.recursor().dohAddress().getPort();
    int https = lab.webServer().httpsAddress().getPort();
    Path ca = lab.recursor().certificateAuthority().certificatePath();
    assertThat(lab.webServer().certificateAuthority().certificatePath()).isEqualTo(ca); // one lab CA
    String page = ExternalCommand.run(List.of("curl", "-sS", "--max-time", "10", "--cacert", ca.toString(),
        "--doh-url", "https://127.53.0.53:" + doh + "/dns-query", "https://www.google.com:" + https + "/"));
    assertThat(page).contains("<title>Google (dnslab)</title>");
  }
}
