package dev.dnslab.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.testing.MetricsScrape;
import java.net.BindException;
import java.net.URI;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The router over real sockets, in front of a stand-in recursor that counts what it is asked. */
class RouterServerTest {
  private final AtomicInteger upstreamQueries = new AtomicInteger();
  private DnsServer recursor;
  private RouterServer router;

  @BeforeEach
  void start() throws Exception {
    recursor = standInRecursor((request, next) -> {
      upstreamQueries.incrementAndGet();
      return CompletableFuture.completedFuture(answer(request.question(), request.newResponse(Rcode.NOERROR)));
    });
    router = new RouterServer(RouterConfig.builder()
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .admin(new InetSocketAddress("127.0.0.1", 0))
        .upstream(recursor.address())
        .build()).start();
  }

  /** A recursor stand-in on a free loopback port, one thread, answering with {@code answers}. */
  static DnsServer standInRecursor(DnsHandler answers) throws BindException {
    return DnsServer.builder("recursor").listen(new InetSocketAddress("127.0.0.1", 0)).threads(1)
        .chain(HandlerChain.of(answers)).build().start();
  }

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    if (recursor != null) {
      recursor.close();
    }
  }

  /**
   * www.google.com A 300; chaos.example an A of class CH (a hostile reply); www.naver.com CNAME
   * www.naver.com.nheos.com A; anything else NXDOMAIN.
   */
  private static Message answer(Record question, Message response) throws RuntimeException {
    try {
      Name name = question.getName();
      Name naver = Name.fromString("www.naver.com.");
      Name nheos = Name.fromString("www.naver.com.nheos.com.");
      if (name.equals(Name.fromString("www.google.com.")) && question.getType() == Type.A) {
        response.addRecord(new ARecord(name, DClass.IN, 300, java.net.InetAddress.getByName("127.53.0.80")), Section.ANSWER);
      } else if (name.equals(Name.fromString("chaos.example.")) && question.getType() == Type.A) {
        response.addRecord(
            new ARecord(name, DClass.CH, 300, java.net.InetAddress.getByName("192.0.2.66")), Section.ANSWER);
      } else if (name.equals(naver) && question.getType() == Type.A) {
        response.addRecord(new CNAMERecord(naver, DClass.IN, 300, nheos), Section.ANSWER);
        response.addRecord(new ARecord(nheos, DClass.IN, 60, java.net.InetAddress.getByName("127.53.0.80")), Section.ANSWER);
      } else {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
        response.addRecord(new SOARecord(Name.fromString("com."), DClass.IN, 900, Name.fromString("a.com."),
            Name.fromString("h.com."), 1, 900, 900, 1800, 300), Section.AUTHORITY);
      }
      return response;
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private Message dig(String name) throws Exception {
    SimpleResolver resolver = new SimpleResolver(router.dnsAddress());
    resolver.setTimeout(Duration.ofSeconds(5));
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    return resolver.send(query);
  }

  private String admin(String path, String method) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminAddress().getPort() + path));
    request = "POST".equals(method) ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET();
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void forwardsAMissAndAnswersTheRepeatFromItsCache() throws Exception {
    Message first = dig("www.google.com.");
    Message second = dig("www.google.com.");

    assertThat(first.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(first.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(first.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("127.53.0.80");
    assertThat(second.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("127.53.0.80");
    assertThat(second.getSection(Section.ANSWER).get(0).getTTL()).isBetween(298L, 300L);
    assertThat(upstreamQueries).hasValue(1);
  }

  @Test
  void neverCachesAnAnswerOfAnotherClass() throws Exception {
    dig("chaos.example.");
    dig("chaos.example.");

    assertThat(upstreamQueries).as("asked again: the CH record was not cached for an IN question").hasValue(2);
  }

  @Test
  void rebuildsACnameChainFromItsCache() throws Exception {
    dig("www.naver.com.");
    Message cached = dig("www.naver.com.");

    assertThat(cached.getSection(Section.ANSWER)).extracting(r -> Type.string(r.getType())).containsExactly("CNAME", "A");
    assertThat(upstreamQueries).hasValue(1);
  }

  @Test
  void remembersNxdomainForTheSoaMinimum() throws Exception {
    dig("nosuch.google.com.");
    Message cached = dig("nosuch.google.com.");

    assertThat(cached.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(cached.getSection(Section.AUTHORITY).get(0).getTTL()).isBetween(298L, 300L);
    assertThat(upstreamQueries).hasValue(1);
  }

  @Test
  void resolvesForPagesThatCannotSendDnsPackets() throws Exception {
    String first = admin("/resolve?name=www.google.com&type=A", "GET");
    String second = admin("/resolve?name=www.google.com&type=A", "GET");

    assertThat(first).contains("\"source\" : \"recursor\"", "\"rcode\" : \"NOERROR\"", "127.53.0.80");
    assertThat(second).contains("\"source\" : \"cache\"", "127.53.0.80");
    assertThat(upstreamQueries).hasValue(1);
  }

  @Test
  void showsAndFlushesItsCacheOnTheAdminPort() throws Exception {
    dig("www.google.com.");

    assertThat(admin("/cache", "GET")).contains("\"name\" : \"www.google.com.\"", "\"ttl\" : ");
    assertThat(admin("/cache?format=text", "GET")).contains("www.google.com.");
    assertThat(MetricsScrape.of(router.adminAddress()).text()).contains("dns_requests_total", "role=\"router\"");
    assertThat(admin("/cache/flush", "POST")).contains("\"flushed\" : \"all\"");
    assertThat(admin("/cache", "GET")).doesNotContain("www.google.com.");

    dig("www.google.com.");
    assertThat(upstreamQueries).hasValue(2);
    // Last: /health asks the router a question of its own, which it forwards upstream too.
    assertThat(admin("/health", "GET")).isEqualTo("ok\n");
  }

  @Test
  void countsCacheLookupsUnderTheRouterRole() throws Exception {
    dig("www.google.com.");
    dig("www.google.com.");

    assertThat(MetricsScrape.of(router.adminAddress()).text())
        .contains("dns_cache_lookups_total{result=\"hit\",role=\"router\"}")
        .contains("dns_cache_lookups_total{result=\"miss\",role=\"router\"}")
        .contains("dns_cache_entries{role=\"router\"}")
        .doesNotContain("dns_recursor_");
  }
}
