package dev.dnslab.core.transport;

import static dev.dnslab.core.testing.AuthorityFixture.labZones;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.authority.AuthorityHandler;
import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.core.zone.ZoneFileLoader;
import dev.dnslab.core.zone.ZoneRepository;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** A DNS server and an admin server on one role's loops: both serve, and closing them leaves the loops to their maker. */
class SharedEventLoopsTest {
  @Test
  void closingABorrowedViewLeavesTheLoopsRunningAndTheOwnerStopsThem() {
    EventLoops loops = EventLoops.start(NettyTransport.NIO, 1);
    EventLoops view = loops.borrowed();

    view.close();
    assertThat(loops.group().isShuttingDown()).isFalse();
    assertThat(view.group()).isSameAs(loops.group());
    assertThat(view.borrowed()).isSameAs(view);

    loops.close();
    assertThat(view.group().isTerminated()).isTrue();
  }

  @Test
  void aServerStopsTheLoopsItStartedAndLendsThemOnlyAsAView() throws Exception {
    ZoneRepository zones = new ZoneRepository(List.of(labZones("authoritative")), new ZoneFileLoader());
    zones.reload();
    DnsServer dns = DnsServer.builder("authoritative")
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .chain(HandlerChain.of(new AuthorityHandler(zones)))
        .build()
        .start();
    EventLoops lent = dns.eventLoops();

    lent.close();
    Message answer = new SimpleResolver(dns.address()).send(
        Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN)));
    dns.close();

    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(lent.group().isTerminated()).isTrue();
  }

  @Test
  void serversOnSharedLoopsServeAndLeaveThemRunningWhenClosed() throws Exception {
    ZoneRepository zones = new ZoneRepository(List.of(labZones("authoritative")), new ZoneFileLoader());
    zones.reload();
    try (EventLoops loops = EventLoops.start(NettyTransport.best(), 1)) {
      DnsServer dns = DnsServer.builder("authoritative")
          .listen(new InetSocketAddress("127.0.0.1", 0))
          .eventLoops(loops)
          .chain(HandlerChain.of(new AuthorityHandler(zones)))
          .build()
          .start();
      AdminServer admin = AdminServer.builder()
          .listen(new InetSocketAddress("127.0.0.1", 0))
          .eventLoops(loops)
          .health(() -> null)
          .build()
          .start();

      Message answer = new SimpleResolver(dns.address()).send(
          Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN)));
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.address().getPort() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      admin.close();
      dns.close();

      assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(loops.group().isShuttingDown()).isFalse();
    }
  }
}
