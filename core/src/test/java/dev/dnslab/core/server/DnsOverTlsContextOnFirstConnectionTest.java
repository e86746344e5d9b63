package dev.dnslab.core.server;

import static dev.dnslab.core.testing.AuthorityFixture.labZones;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.AuthorityHandler;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.tls.BuiltOnFirstUse;
import dev.dnslab.core.tls.IssuedCertificate;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.core.zone.ZoneFileLoader;
import dev.dnslab.core.zone.ZoneRepository;
import dev.dnslab.testing.DnsOverTlsExchange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A DNS-over-TLS context built at the first connection serves it, and every later one, as one built at start. */
class DnsOverTlsContextOnFirstConnectionTest {
  @TempDir Path stateDir;

  @Test
  void buildsTheContextOnceAtTheFirstConnectionAndAnswersOverTls() throws Exception {
    ZoneRepository zones = new ZoneRepository(List.of(labZones("authoritative")), new ZoneFileLoader());
    zones.reload();
    LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(stateDir);
    IssuedCertificate certificate = ca.issue(List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
    AtomicInteger builds = new AtomicInteger();
    BuiltOnFirstUse<SslContext> context = new BuiltOnFirstUse<>(() -> {
      builds.incrementAndGet();
      return certificate.serverContext(List.of());
    });

    try (DnsServer server = DnsServer.builder("authoritative")
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .tls(new InetSocketAddress("127.0.0.1", 0), context)
        .chain(HandlerChain.of(new AuthorityHandler(zones)))
        .metrics(new DnsMetrics(new SimpleMeterRegistry(), "authoritative"))
        .build()
        .start()) {
      assertThat(context.isBuilt()).isFalse();

      Message first = dotQuery(ca.clientTlsContext(), server.tlsAddress());
      Message second = dotQuery(ca.clientTlsContext(), server.tlsAddress());

      assertThat(first.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(first.getSection(Section.ANSWER)).isNotEmpty();
      assertThat(second.getSection(Section.ANSWER)).isEqualTo(first.getSection(Section.ANSWER));
      assertThat(builds).hasValue(1);
    }
  }

  private static Message dotQuery(SSLContext tls, InetSocketAddress dot) throws Exception {
    return DnsOverTlsExchange.exchange(
        tls, dot, Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN)));
  }
}
