package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.MetricsScrape;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The admin port, scraped over HTTP like Prometheus does. */
class WebMetricsTest {
  @TempDir static Path stateDir;
  @RegisterExtension static final RunningWebServer web = RunningWebServer.withBundledSites(() -> stateDir);

  private static MetricsScrape scrape() {
    return MetricsScrape.of(web.server().adminAddress());
  }

  @Test
  void countsRequestsBySiteStatusAndProtocol() {
    String ok = "web_requests_total{host=\"www.example.org\",protocol=\"http/1.1\",status=\"200\"}";
    String missing = "web_requests_total{host=\"www.example.org\",protocol=\"http/1.1\",status=\"404\"}";
    String bytes = "web_response_bytes_total{host=\"www.example.org\"}";
    MetricsScrape before = scrape();

    web.get("www.example.org", "/");
    web.get("www.example.org", "/missing");

    // Counted once each response is written, which the client may see before the count: poll.
    MetricsScrape metrics = MetricsScrape.once(web.server().adminAddress(),
        now -> now.sample(ok) > before.sample(ok) && now.sample(missing) > before.sample(missing));
    assertThat(metrics.sample(ok) - before.sample(ok)).isEqualTo(1);
    assertThat(metrics.sample(missing) - before.sample(missing)).isEqualTo(1);
    assertThat(metrics.sample(bytes)).isGreaterThan(before.sample(bytes));
    assertThat(metrics.text()).contains("web_request_duration_seconds_count{host=\"www.example.org\",protocol=\"http/1.1\"}");
  }

  @Test
  void neverTurnsAnUnknownHostHeaderIntoATag() {
    web.get("attacker-chosen-" + System.nanoTime() + ".example", "/");

    String metrics = MetricsScrape.once(web.server().adminAddress(), now -> now.text().contains("host=\"other\"")).text();

    assertThat(metrics).doesNotContain("attacker-chosen").contains("host=\"other\"");
  }

  @Test
  void namesEveryMeterWithTheWebPrefix() {
    web.get("www.google.com", "/");

    assertThat(scrape().text().lines().filter(line -> line.startsWith("web")))
        .allSatisfy(line -> assertThat(line).matches("web_(requests_total|response_bytes_total|request_duration_seconds(_count|_sum|_max)|rejected_total)\\{.*"));
  }

  @Test
  void reportsHealthy() {
    HttpResponse<String> health = RunningWebServer.send(web.http1Client(), HttpRequest.newBuilder(web.admin("/health")).build());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
  }
}
