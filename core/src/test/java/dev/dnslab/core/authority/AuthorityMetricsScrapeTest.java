package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.testing.MetricsScrape;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * What /metrics shows after real queries over real sockets: every query and response counted once
 * under its labels, and timed once, whichever way it was answered (the handler chain for a first
 * query, the template shortcut for the ones after it).
 */
class AuthorityMetricsScrapeTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @Test
  void countsEveryQueryResponseAndDurationExactlyOnceAtTheScrape() throws Exception {
    try (AuthorityFixture server =
        AuthorityFixture.start("authoritative-ns", List.of(AuthorityFixture.labZones("authoritative")))) {
      SimpleResolver udp = server.udp();
      SimpleResolver tcp = server.tcp();
      send(udp, "www.google.com.", Type.A, 20, Rcode.NOERROR);
      send(udp, "nosuch.google.com.", Type.A, 10, Rcode.NXDOMAIN);
      send(udp, "google.com.", Type.NS, 5, Rcode.NOERROR);
      send(udp, "google.com.", 65000, 4, Rcode.NOERROR);
      send(tcp, "www.google.com.", Type.A, 3, Rcode.NOERROR);

      Map<String, String> metrics = scrapeOnce(server, "dns_request_duration_seconds_count{role=\"authoritative-ns\"}", "42");

      assertThat(metrics)
          .containsEntry("dns_requests_total{qtype=\"A\",role=\"authoritative-ns\",transport=\"udp\"}", "30.0")
          .containsEntry("dns_requests_total{qtype=\"NS\",role=\"authoritative-ns\",transport=\"udp\"}", "5.0")
          .containsEntry("dns_requests_total{qtype=\"OTHER\",role=\"authoritative-ns\",transport=\"udp\"}", "4.0")
          .containsEntry("dns_requests_total{qtype=\"A\",role=\"authoritative-ns\",transport=\"tcp\"}", "3.0")
          .containsEntry("dns_responses_total{rcode=\"NOERROR\",role=\"authoritative-ns\"}", "32.0")
          .containsEntry("dns_responses_total{rcode=\"NXDOMAIN\",role=\"authoritative-ns\"}", "10.0")
          .containsEntry("dns_request_duration_seconds_count{role=\"authoritative-ns\"}", "42");
      assertThat(metrics.keySet().stream().filter(series -> series.startsWith("dns_requests_total"))).hasSize(4);
      assertThat(metrics.keySet().stream().filter(series -> series.startsWith("dns_responses_total"))).hasSize(2);
      assertThat(Double.parseDouble(metrics.get("dns_request_duration_seconds_max{role=\"authoritative-ns\"}")))
          .isPositive()
          .isLessThanOrEqualTo(Double.parseDouble(metrics.get("dns_request_duration_seconds_sum{role=\"authoritative-ns\"}")));
    }
  }

  @Test
  void bindsTheJvmMemoryMetersAtTheFirstScrapeNotAtStart() throws Exception {
    try (AuthorityFixture server =
        AuthorityFixture.start("authoritative-ns", List.of(AuthorityFixture.labZones("authoritative")))) {
      assertThat(server.server().registry().find("jvm.memory.used").gauges()).isEmpty();

      Map<String, String> first = scrape(server);

      assertThat(first.keySet()).anyMatch(series -> series.startsWith("jvm_memory_used_bytes{area=\"heap\""));
      assertThat(first.keySet()).anyMatch(series -> series.startsWith("jvm_memory_committed_bytes{area=\"nonheap\""));
    }
  }

  private static void send(SimpleResolver resolver, String name, int type, int times, int rcode) throws Exception {
    for (int i = 0; i < times; i++) {
      Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, org.xbill.DNS.DClass.IN));
      assertThat(resolver.send(query).getRcode()).isEqualTo(rcode);
    }
  }

  /**
   * The series of /metrics once {@code series} reads {@code value}, or at the deadline: the server's
   * event loop records an answer's meters on its own time, and a client can have the answer first.
   */
  private static Map<String, String> scrapeOnce(AuthorityFixture server, String series, String value) {
    Instant deadline = Instant.now().plus(DEADLINE);
    Map<String, String> metrics = scrape(server);
    while (!value.equals(metrics.get(series)) && Instant.now().isBefore(deadline)) {
      Thread.onSpinWait();
      metrics = scrape(server);
    }
    return metrics;
  }

  private static Map<String, String> scrape(AuthorityFixture server) {
    return MetricsScrape.of(server.server().adminAddress()).samples();
  }
}
