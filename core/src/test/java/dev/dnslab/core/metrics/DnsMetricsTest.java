package dev.dnslab.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.server.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class DnsMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final DnsMetrics metrics = new DnsMetrics(registry, "authoritative-ns");

  @Test
  void requestsAreCountedPerTransportAndTaggedTypeWithEveryOtherTypeAsOther() {
    metrics.request(Transport.UDP, Type.A);
    metrics.request(Transport.UDP, Type.A);
    metrics.request(Transport.TCP, Type.CAA);
    metrics.request(Transport.HTTPS, Type.IXFR);
    metrics.request(Transport.TLS, 65000);
    metrics.request(Transport.TLS, Type.NULL);

    assertThat(requests("udp", "A")).isEqualTo(2.0);
    assertThat(requests("tcp", "CAA")).isEqualTo(1.0);
    assertThat(requests("https", "IXFR")).isEqualTo(1.0);
    assertThat(requests("tls", "OTHER")).isEqualTo(2.0);
    assertThat(registry.find(DnsMetrics.REQUESTS).counters()).hasSize(4);
  }

  @Test
  void responsesAreCountedPerRcodeAndTimedTogether() {
    metrics.response(Rcode.NOERROR, 1_000);
    metrics.response(Rcode.NXDOMAIN, 2_000);
    metrics.response(Rcode.NXDOMAIN, 3_000);

    assertThat(responses("NOERROR")).isEqualTo(1.0);
    assertThat(responses("NXDOMAIN")).isEqualTo(2.0);
    assertThat(registry.get(DnsMetrics.REQUEST_DURATION).timer().count()).isEqualTo(3);
  }

  @Test
  void theSameMeterServesEveryLaterEvent() {
    metrics.request(Transport.UDP, Type.NS);
    Counter first = registry.get(DnsMetrics.REQUESTS).tags("transport", "udp", "qtype", "NS").counter();
    metrics.request(Transport.UDP, Type.NS);

    assertThat(registry.get(DnsMetrics.REQUESTS).tags("transport", "udp", "qtype", "NS").counter())
        .isSameAs(first);
    assertThat(first.count()).isEqualTo(2.0);
  }

  private double requests(String transport, String qtype) {
    return registry.get(DnsMetrics.REQUESTS)
        .tags("role", "authoritative-ns", "transport", transport, "qtype", qtype).counter().count();
  }

  private double responses(String rcode) {
    return registry.get(DnsMetrics.RESPONSES).tags("role", "authoritative-ns", "rcode", rcode).counter().count();
  }
}
