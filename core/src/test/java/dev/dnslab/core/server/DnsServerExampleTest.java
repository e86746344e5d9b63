package dev.dnslab.core.server;

import static dev.dnslab.core.testing.AuthorityFixture.labZones;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.AuthorityHandler;
import dev.dnslab.core.handler.QueryLogHandler;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.zone.ZoneFileLoader;
import dev.dnslab.core.zone.ZoneRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The example in {@link DnsServer}'s Javadoc, on a free port: it compiles and answers. */
class DnsServerExampleTest {
  @Test
  void javadocExampleServesTheZones() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ZoneRepository zones = new ZoneRepository(List.of(labZones("authoritative")), new ZoneFileLoader());
    zones.reload();

    try (DnsServer server = DnsServer.builder("authoritative")
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .chain(HandlerChain.of(new QueryLogHandler("authoritative"), new AuthorityHandler(zones)))
        .metrics(new DnsMetrics(registry, "authoritative"))
        .build()
        .start()) {
      SimpleResolver resolver = new SimpleResolver(server.address());
      Message response = resolver.send(
          Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN)));

      assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(response.getSection(org.xbill.DNS.Section.ANSWER)).isNotEmpty();
    }
  }
}
