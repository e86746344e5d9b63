package dev.dnslab.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.opentest4j.AssertionFailedError;

/**
 * One scrape of a server's {@code /metrics} in Prometheus's text format, read as Prometheus reads
 * it: the whole text, or one sample's value. Every role's admin tests scrape with it.
 *
 * <pre>{@code
 * MetricsScrape metrics = MetricsScrape.of(server.adminAddress());
 * assertThat(metrics.text()).contains("dns_responses_total{rcode=\"NOERROR\",role=\"recursor\"}");
 * assertThat(metrics.sample("web_requests_total{host=\"www.example.org\",...}")).isEqualTo(1);
 * }</pre>
 */
public final class MetricsScrape {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** HTTP/1.1, as Prometheus scrapes: the JDK client's default (HTTP/2) asks a plain port to upgrade. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

  private final String text;

  private MetricsScrape(String text) {
    this.text = requireNonNull(text, "text");
  }

  /**
   * GETs {@code /metrics} from the admin port at {@code admin} (on loopback when it is bound to
   * the wildcard address).
   *
   * @throws AssertionFailedError when the status is not 200
   */
  public static MetricsScrape of(InetSocketAddress admin) {
    URI uri = metricsUri(admin);
    HttpResponse<String> response;
    try {
      response = HTTP.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("GET " + uri + " interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new AssertionFailedError("GET " + uri + ": status " + response.statusCode() + " (expected: 200)");
    }
    return new MetricsScrape(response.body());
  }

  /**
   * Scrapes {@code admin} until a scrape satisfies {@code settled}, for at most 10 s, and returns
   * the last one: for what a server counts once its response is written, which a client may have
   * read before the counting thread ran. The caller asserts on the scrape returned, so a count that
   * never comes (or comes twice) still fails, with the scrape's own figures.
   */
  public static MetricsScrape once(InetSocketAddress admin, Predicate<MetricsScrape> settled) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    MetricsScrape scrape = of(admin);
    while (!settled.test(scrape) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return scrape;
      }
      scrape = of(admin);
    }
    return scrape;
  }

  /** A scrape already taken: a registry's own {@code scrape()} text, read without HTTP. */
  public static MetricsScrape ofText(String text) {
    return new MetricsScrape(text);
  }

  private static URI metricsUri(InetSocketAddress admin) {
    InetAddress address = admin.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : admin.getAddress();
    try {
      // The URI constructor puts an IPv6 literal in brackets.
      return new URI("http", null, address.getHostAddress(), admin.getPort(), "/metrics", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("admin: " + admin, e);
    }
  }

  /** The scrape as the server wrote it. */
  public String text() {
    return text;
  }

  /**
   * The value of the sample named {@code series} (its name with its labels, as written:
   * {@code dns_responses_total{rcode="NOERROR",role="recursor"}}), or 0 when the scrape has none:
   * a counter nothing has counted yet is not exported.
   */
  public double sample(String series) {
    return text.lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).strip()))
        .findFirst()
        .orElse(0);
  }

  /**
   * The sum of every sample of the metric {@code name} that carries {@code label} as written
   * ({@code area="heap"}), whatever its other labels, as PromQL's {@code sum(name{label})}; 0 when
   * none does. For a figure spread over series whose other labels depend on the run, such as the
   * JVM's heap over its memory pools, which differ from one garbage collector to another.
   */
  public double sum(String name, String label) {
    String opening = name + "{";
    return samples().entrySet().stream()
        .filter(sample -> sample.getKey().startsWith(opening) && sample.getKey().endsWith("}")
            && List.of(sample.getKey().substring(opening.length(), sample.getKey().length() - 1).split(","))
                .contains(label))
        .mapToDouble(sample -> Double.parseDouble(sample.getValue()))
        .sum();
  }

  /** Every sample: its series (name and labels) to its value as written ({@code 42}, {@code 30.0}). */
  public Map<String, String> samples() {
    Map<String, String> samples = new LinkedHashMap<>();
    text.lines().filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(line -> {
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), line.substring(space + 1));
    });
    return samples;
  }
}
