package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Each answer counts under its own site, status and protocol, however the kinds of answers interleave. */
class WebMetricsAnswersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WebMetrics metrics = new WebMetrics(registry, SiteCatalog.load(BundledSites.extract()));

  private double requests(String host, String status, String protocol) {
    var counter =
        registry.find("web.requests").tag("host", host).tag("status", status).tag("protocol", protocol).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void countsEveryAnswerUnderItsOwnTagsWhenKindsAlternate() {
    metrics.answered("www.google.com", 200, "HTTP/1.1", 100, 1_000);
    metrics.answered("www.google.com", 404, "HTTP/1.1", 10, 1_000);
    metrics.answered("www.google.com", 200, "h2", 100, 1_000);
    metrics.answered("www.example.org", 200, "HTTP/1.1", 50, 1_000);
    metrics.answered("unknown.example", 200, "HTTP/1.1", 7, 1_000);
    metrics.answered(null, 400, "HTTP/1.1", 5, 1_000);
    metrics.answered("www.google.com", 200, "HTTP/1.1", 100, 3_000);

    assertThat(requests("www.google.com", "200", "http/1.1")).isEqualTo(2);
    assertThat(requests("www.google.com", "404", "http/1.1")).isEqualTo(1);
    assertThat(requests("www.google.com", "200", "h2")).isEqualTo(1);
    assertThat(requests("www.example.org", "200", "http/1.1")).isEqualTo(1);
    assertThat(requests(WebMetrics.OTHER_HOST, "200", "http/1.1")).isEqualTo(1);
    assertThat(requests(WebMetrics.OTHER_HOST, "400", "http/1.1")).isEqualTo(1);
    assertThat(registry.get("web.response.bytes").tag("host", "www.google.com").counter().count()).isEqualTo(310);
    assertThat(registry.get("web.response.bytes").tag("host", WebMetrics.OTHER_HOST).counter().count()).isEqualTo(12);
    var durations = registry.get("web.request.duration").tag("host", "www.google.com").tag("protocol", "http/1.1").timer();
    assertThat(durations.count()).isEqualTo(3);
    assertThat(durations.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isEqualTo(5_000);
  }
}
