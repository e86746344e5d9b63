package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.ratelimit.ResponseRateLimit;
import dev.dnslab.testing.MetricsScrape;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Lints every meter name every role exposes on {@code /metrics}, like CoreDNS's {@code
 * test/metric_naming_test.go}: each role of the lab is started, used once (so meters created on
 * first use exist) and scraped, and every metric family is checked, not only those with one prefix.
 * It lives in the lab because the lab already depends on every role; no role depends on another.
 */
class MetricNamingTest {
  /** STYLE.md: {@code dns_*} for DNS servers, {@code web_*} for the web server; {@code jvm_*} from Micrometer's JVM binder. */
  private static final Set<String> PREFIXES = Set.of("dns_", "web_", "jvm_");

  /** A query name is never a label (STYLE.md "Metrics"): it would let any client grow the registry. */
  private static final Set<String> QUERY_NAME_LABELS = Set.of("name", "qname", "query", "domain", "zone", "owner");

  /** Prometheus naming: lowercase snake_case, base units (seconds, bytes), counters end in _total. */
  private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final Pattern NON_BASE_UNIT = Pattern.compile(".*_(milliseconds|millis|ms|microseconds|nanoseconds|kilobytes|megabytes|minutes|hours)(_.*)?");
  private static final Pattern TYPE_LINE = Pattern.compile("# TYPE (\\S+) (counter|gauge|summary|histogram|untyped)");
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Asked of every DNS role before scraping; it must show up in no metric. */
  private static final String PROBE_NAME = "metric-naming-probe-" + Long.toHexString(System.nanoTime()) + ".google.com.";

  @TempDir static Path state;
  private static EmbeddedLab lab;
  private static Map<String, String> scrapes;

  @BeforeAll
  static void start() throws Exception {
    lab = EmbeddedLab.builder()
        .plan(new AddressPlan(AddressPlan.ZONE_FILE_NETWORK, 0, 0))
        .zones(Path.of("../zones"))
        .everything()
        .webPorts(0, 0)
        .encryptedDnsPorts(0, 0)
        .stateDir(state)
        // On here, though off by default, so that its meters are linted too; 20/s never bites here.
        .rateLimits(role -> Optional.of(ResponseRateLimit.DEFAULT))
        .build()
        .start();
    Map<String, InetSocketAddress> dns = new LinkedHashMap<>();
    Map<String, InetSocketAddress> admin = new LinkedHashMap<>();
    for (LabRole role : EmbeddedLab.AUTHORITIES) {
      dns.put(role.serviceName(), lab.authority(role).dnsAddress());
      admin.put(role.serviceName(), lab.authority(role).adminAddress());
    }
    dns.put(LabRole.RECURSOR.serviceName(), lab.recursor().dnsAddress());
    admin.put(LabRole.RECURSOR.serviceName(), lab.recursor().adminAddress());
    dns.put(LabRole.ROUTER.serviceName(), lab.router().dnsAddress());
    admin.put(LabRole.ROUTER.serviceName(), lab.router().adminAddress());
    admin.put(LabRole.WEB.serviceName(), lab.webServer().adminAddress());
    for (InetSocketAddress server : dns.values()) {
      ask(server, PROBE_NAME);
      ask(server, "www.google.com.");
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // One page request, so the web server's per-request meters exist (its Host is counted as "other").
    http.send(HttpRequest.newBuilder(URI.create("http://" + host(lab.webServer().httpAddress()) + "/")).build(),
        HttpResponse.BodyHandlers.discarding());
    scrapes = new LinkedHashMap<>();
    for (Map.Entry<String, InetSocketAddress> role : admin.entrySet()) {
      scrapes.put(role.getKey(), MetricsScrape.of(role.getValue()).text());
    }
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void scrapesEveryRole() {
    assertThat(scrapes.keySet()).containsExactlyInAnyOrder(
        "root-ns", "tld-ns", "authoritative-ns", "recursor", "router", "web-server");
    scrapes.forEach((role, text) -> assertThat(families(text)).as(role).isNotEmpty());
  }

  @Test
  void scrapesTheRateLimitingAndCookieMeters() {
    for (String role : List.of("root-ns", "tld-ns", "authoritative-ns")) {
      assertThat(families(scrapes.get(role))).as(role)
          .containsKeys("dns_rrl_limited_total", "dns_rrl_slipped_total", "dns_cookies_total");
    }
    assertThat(families(scrapes.get("recursor"))).containsKey("dns_recursor_upstream_cookies_total");
  }

  @Test
  void namesEveryMeterWithARolePrefixInSnakeCase() {
    scrapes.forEach((role, text) -> families(text).keySet().forEach(name -> {
      assertThat(name).as(role).matches(SNAKE_CASE);
      assertThat(PREFIXES).as(role + ": " + name).anyMatch(name::startsWith);
    }));
  }

  @Test
  void namesCountersWithTotalAndUsesBaseUnits() {
    scrapes.forEach((role, text) -> families(text).forEach((name, type) -> {
      assertThat(name).as(role).doesNotMatch(NON_BASE_UNIT);
      if (type.equals("counter")) {
        assertThat(name).as(role + " counter").endsWith("_total");
      } else {
        assertThat(name).as(role + " " + type).doesNotEndWith("_total");
      }
    }));
  }

  @Test
  void neverLabelsAMeterWithAQueryName() {
    scrapes.forEach((role, text) -> {
      assertThat(text).as(role).doesNotContainIgnoringCase(PROBE_NAME.substring(0, PROBE_NAME.length() - 1));
      for (String line : text.lines().filter(l -> !l.startsWith("#")).toList()) {
        Matcher sample = SAMPLE.matcher(line);
        assertThat(sample.matches()).as(role + ": " + line).isTrue();
        if (sample.group(2) != null) {
          Matcher label = LABEL.matcher(sample.group(2));
          while (label.find()) {
            assertThat(label.group(1)).as(role + ": " + line).matches(SNAKE_CASE).isNotIn(QUERY_NAME_LABELS);
          }
        }
      }
    });
  }

  @Test
  void describesEveryMetricFamily() {
    scrapes.forEach((role, text) -> families(text).keySet().forEach(name ->
        assertThat(text).as(role).containsPattern("(?m)^# HELP " + Pattern.quote(name) + " \\S")));
  }

  /** Metric family name to its type, from the {@code # TYPE} lines. */
  private static Map<String, String> families(String text) {
    Map<String, String> families = new LinkedHashMap<>();
    for (String line : text.lines().toList()) {
      Matcher type = TYPE_LINE.matcher(line);
      if (type.matches()) {
        families.put(type.group(1), type.group(2));
      }
    }
    return families;
  }

  private static void ask(InetSocketAddress server, String name) throws Exception {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(Duration.ofSeconds(5));
    resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  private static String host(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

}
