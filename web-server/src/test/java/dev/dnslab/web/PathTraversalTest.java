package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.MetricsScrape;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests that try to read a file next to the sites folder, sent raw over a socket so that no
 * client library cleans the path first.
 */
class PathTraversalTest {
  private static final String SECRET = SitesWithSecrets.SECRET;

  @TempDir static Path root;
  @RegisterExtension
  static final RunningWebServer web =
      RunningWebServer.withSites(PathTraversalTest::sitesWithSecretsNextToThem, () -> root.resolve("state"));

  private static Path sitesWithSecretsNextToThem() {
    return SitesWithSecrets.create(root);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/..%5Csecret.txt",
        "/./../secret.txt",
        "/about/../../secret.txt",
        "/leak.txt",
        "/linked/secret.txt",
        "/.env",
        "/%00/../secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "http://www.google.com/../secret.txt"
      })
  void neverServesAFileOutsideTheSite(String target) {
    String response = web.raw("GET " + target + " HTTP/1.1\r\nHost: www.google.com\r\nConnection: close\r\n\r\n");

    assertThat(RunningWebServer.statusOf(response)).isIn(400, 404);
    assertThat(response).doesNotContain(SECRET).doesNotContain("Exception");
  }

  @Test
  void stillServesTheSiteItself() {
    String response = web.raw("GET /index.html HTTP/1.1\r\nHost: www.google.com\r\nConnection: close\r\n\r\n");

    assertThat(RunningWebServer.statusOf(response)).isEqualTo(200);
    assertThat(response).contains("<h1>lab page</h1>");
  }

  @Test
  void servesThroughASymbolicLinkThatStaysInsideTheSite() {
    String response = web.raw("GET /shortcut/index.html HTTP/1.1\r\nHost: www.google.com\r\nConnection: close\r\n\r\n");

    assertThat(RunningWebServer.statusOf(response)).isEqualTo(200);
    assertThat(response).contains("<h1>about</h1>");
  }

  @Test
  void countsRefusedPathsInTheMetrics() {
    String refused = "web_rejected_total{reason=\"path\"}";
    double before = MetricsScrape.ofText(web.server().registry().scrape()).sample(refused);

    web.raw("GET /%2e%2e/secret.txt HTTP/1.1\r\nHost: www.google.com\r\nConnection: close\r\n\r\n");

    assertThat(MetricsScrape.ofText(web.server().registry().scrape()).sample(refused) - before).isEqualTo(1);
  }
}
