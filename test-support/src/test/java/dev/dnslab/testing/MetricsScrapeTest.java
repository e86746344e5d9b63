package dev.dnslab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** A real GET of a real HTTP server's /metrics, read back as text and as samples. */
class MetricsScrapeTest {
  private static final String EXPOSITION = """
      # HELP dns_responses_total DNS responses by rcode
      # TYPE dns_responses_total counter
      dns_responses_total{rcode="NOERROR",role="recursor"} 30.0
      dns_request_duration_seconds_count{role="recursor"} 42
      jvm_memory_used_bytes{area="heap",id="eden space"} 1024.0
      """;

  private HttpServer server;
  private volatile int status = 200;
  private volatile String askedPath;

  private InetSocketAddress serve(InetSocketAddress at) throws Exception {
    server = HttpServer.create(at, 0);
    server.createContext("/", exchange -> {
      askedPath = exchange.getRequestURI().getPath();
      byte[] body = EXPOSITION.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server.getAddress();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void getsTheMetricsPathAndKeepsItsText() throws Exception {
    InetSocketAddress admin = serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

    MetricsScrape scrape = MetricsScrape.of(admin);

    assertThat(askedPath).isEqualTo("/metrics");
    assertThat(scrape.text()).isEqualTo(EXPOSITION);
  }

  @Test
  void readsASamplesValueAndZeroForASeriesNotExported() throws Exception {
    MetricsScrape scrape = MetricsScrape.ofText(EXPOSITION);

    assertThat(scrape.sample("dns_responses_total{rcode=\"NOERROR\",role=\"recursor\"}")).isEqualTo(30.0);
    assertThat(scrape.sample("dns_responses_total{rcode=\"SERVFAIL\",role=\"recursor\"}")).isZero();
    // The name alone is not the labelled series.
    assertThat(scrape.sample("dns_responses_total")).isZero();
  }

  @Test
  void listsEverySampleWithItsValueAsWritten() {
    assertThat(MetricsScrape.ofText(EXPOSITION).samples()).containsExactly(
        entry("dns_responses_total{rcode=\"NOERROR\",role=\"recursor\"}", "30.0"),
        entry("dns_request_duration_seconds_count{role=\"recursor\"}", "42"),
        entry("jvm_memory_used_bytes{area=\"heap\",id=\"eden space\"}", "1024.0"));
  }

  @Test
  void sumsTheSamplesOfAMetricThatCarryALabelWhateverTheirOtherLabels() {
    MetricsScrape scrape = MetricsScrape.ofText("""
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1024.0
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4096.0
        jvm_memory_used_bytes{id="G1 Old Gen",area="heap"} 2048.0
        jvm_memory_used_bytes_other{area="heap",id="G1 Old Gen"} 8192.0
        jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 16384.0
        """);

    assertThat(scrape.sum("jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(3072.0);
    assertThat(scrape.sum("jvm_memory_used_bytes", "area=\"stack\"")).isZero();
  }

  @Test
  void failsWhenTheServerDoesNotAnswer200() throws Exception {
    InetSocketAddress admin = serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    status = 503;

    assertThatThrownBy(() -> MetricsScrape.of(admin))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageEndingWith("/metrics: status 503 (expected: 200)");
  }

  @Test
  void scrapesAServerBoundToTheWildcardAddressOnLoopback() throws Exception {
    InetSocketAddress admin = serve(new InetSocketAddress(0));

    assertThat(MetricsScrape.of(admin).text()).isEqualTo(EXPOSITION);
  }
}
