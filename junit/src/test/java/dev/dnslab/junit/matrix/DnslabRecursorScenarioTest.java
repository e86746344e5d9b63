package dev.dnslab.junit.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.fault.RecordedQuery;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.server.Transport;
import dev.dnslab.junit.Lab;
import dev.dnslab.recursor.iterator.MinimisedQueryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * dnslab's recursor over the scenarios where the matrix allows correct resolvers to differ, held
 * to what dnslab itself does, exactly, with the lab's query journal as the witness of what it
 * asked. The lab and the recursor run on free ports of a random loopback /24, so no root is needed.
 */
class DnslabRecursorScenarioTest {
  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(strings = {"qmin-refused", "qmin-servfail", "qmin-silent", "qmin-nxdomain", "qmin-other-data"})
  void asksTheFullNameWhenTheMinimisedOneFails(String scenario) throws Exception {
    try (Lab lab = Lab.builder().scenario(scenario).port(0).start(); DnslabRecursor recursor = start(lab)) {
      Message response = ask(recursor, "googlemail.l.google.com.", Type.TXT);

      assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(response.getSection(Section.ANSWER)).isEmpty();
      assertThat(asked(lab, "googlemail.l.google.com.", Type.TXT)).as("the full name, asked").isNotEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"qmin-refused", "qmin-servfail", "qmin-silent", "qmin-nxdomain", "qmin-other-data"})
  void asksTheFullNameWhenTheMinimisedOneFailsInTheNsStyleToo(String scenario) throws Exception {
    try (Lab lab = Lab.builder().scenario(scenario).port(0).start();
        DnslabRecursor recursor = start(lab, MinimisedQueryType.NS)) {
      Message response = ask(recursor, "googlemail.l.google.com.", Type.TXT);

      assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(response.getSection(Section.ANSWER)).isEmpty();
      // RFC 7816's style: the shortened name went out as an NS question, never as A.
      assertThat(asked(lab, "l.google.com.", Type.NS)).as("the minimised name, asked as NS").isNotEmpty();
      assertThat(asked(lab, "l.google.com.", Type.A)).isEmpty();
      assertThat(asked(lab, "googlemail.l.google.com.", Type.TXT)).as("the full name, asked").isNotEmpty();
    }
  }

  @Test
  void usesOnlyTheRrsetThatAnswersAndCachesNoneOfTheRest() throws Exception {
    try (Lab lab = Lab.builder().scenario("extra-answer-rrsets").port(0).start(); DnslabRecursor recursor = start(lab)) {
      String web = lab.address("127.53.0.80").getHostAddress();

      assertThat(data(ask(recursor, "www.google.com.", Type.A))).containsExactly(web);
      assertThat(data(ask(recursor, "google.com.", Type.A))).containsExactly(web);
      // Its real AAAA, not the forged 2001:db8::66.
      Message aaaa = ask(recursor, "www.google.com.", Type.AAAA);
      assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(data(aaaa)).containsExactly("fd00:53:53:127:0:0:0:80");
    }
  }

  @Test
  void asksTheTargetsOwnServersForACnameTarget() throws Exception {
    try (Lab lab = Lab.builder().scenario("cname-target-data").port(0).start(); DnslabRecursor recursor = start(lab)) {
      Message response = ask(recursor, "www.naver.com.", Type.A);

      assertThat(data(response)).containsExactlyInAnyOrder("www.naver.com.nheos.com.", lab.address("127.53.0.80").getHostAddress());
      assertThat(asked(lab, "www.naver.com.nheos.com.", Type.A)).as("the target, asked of nheos.com's server")
          .isNotEmpty();
    }
  }

  @Test
  void answersNodataWithoutSoaAndDoesNotKeepIt() throws Exception {
    try (Lab lab = Lab.builder().scenario("nodata-without-soa").port(0).start(); DnslabRecursor recursor = start(lab)) {
      for (int i = 0; i < 2; i++) {
        Message response = ask(recursor, "www.google.com.", Type.HTTPS);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
      }

      // RFC 2308 5: no SOA, no TTL to keep it by; the second client query went upstream again.
      assertThat(asked(lab, "www.google.com.", Type.HTTPS)).hasSize(2);
    }
  }

  @Test
  void answersTtlZeroDataAndDoesNotCacheIt() throws Exception {
    try (Lab lab = Lab.builder().scenario("ttl-zero").port(0).start(); DnslabRecursor recursor = start(lab)) {
      String web = lab.address("127.53.0.80").getHostAddress();
      for (int i = 0; i < 2; i++) {
        assertThat(data(ask(recursor, "www.google.com.", Type.A))).containsExactly(web);
      }

      // RFC 1035 3.2.1, RFC 2181 8: TTL 0 is for this transaction only.
      assertThat(asked(lab, "www.google.com.", Type.A)).hasSize(2);
    }
  }

  @Test
  void truncatesABurstFromAClientWithoutCookiesUnderRateLimit() throws Exception {
    // The limits' clock stands still: no token comes back however slowly the six queries run.
    try (Lab lab = Lab.builder().scenario("rate-limit").port(0).rateLimitClock(() -> 0).start()) {
      SimpleResolver udp = new SimpleResolver(lab.authoritative());
      udp.setIgnoreTruncation(true);
      udp.setTimeout(Duration.ofSeconds(3));
      int truncated = 0;
      for (int i = 0; i < 6; i++) {
        Message reply = udp.send(Message.newQuery(Record.newRecord(Name.fromString("nosuch" + i + ".google.com."),
            Type.A, DClass.IN)));
        truncated += reply.getHeader().getFlag(Flags.TC) ? 1 : 0;
      }

      assertThat(truncated).as("2 per second, slip 1: all but the first 2 come back truncated").isEqualTo(4);
    }
  }

  @Test
  void answersServfailWithNoReachableAuthorityForANameServerCycle() throws Exception {
    try (Lab lab = Lab.builder().scenario("ns-cycle").port(0).start(); DnslabRecursor recursor = start(lab)) {
      Message response = ask(recursor, "www.cycle-a.com.", Type.A);

      assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
      // RFC 8914 4.23: EDE 22, No Reachable Authority, naming the zone.
      assertThat(response.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)).singleElement().satisfies(option -> {
        ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) option;
        assertThat(ede.getErrorCode()).isEqualTo(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
        assertThat(ede.getText()).contains("cycle-a.com.").contains("a name server cycle");
      });
      // The cycle is seen, not walked until the limits run out: nothing reaches the authoritative
      // server, and the root and com. are asked at most once for each of the three names.
      assertThat(lab.journal().queries(q -> q.server().equals(LabRole.AUTHORITATIVE.serviceName()))).isEmpty();
      assertThat(lab.journal().queries(q -> true)).hasSizeLessThanOrEqualTo(6);
      assertThat(data(ask(recursor, "www.google.com.", Type.A)))
          .containsExactly(lab.address("127.53.0.80").getHostAddress());
    }
  }

  @Test
  void showsItsServerCookiesAndSoIsNeverRateLimited() throws Exception {
    try (Lab lab = Lab.builder().scenario("rate-limit").port(0).start(); DnslabRecursor recursor = start(lab)) {
      for (int i = 0; i < 6; i++) {
        assertThat(ask(recursor, "nosuch" + i + ".google.com.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
      }

      List<RecordedQuery> asked = lab.journal().queries(q -> q.server().equals(LabRole.AUTHORITATIVE.serviceName())
          && q.qname().toLowerCase(java.util.Locale.ROOT).startsWith("nosuch"));
      assertThat(asked).as("a valid server cookie exempts a client from RRL (RFC 7873 5.2.5): no TCP retry")
          .hasSizeGreaterThanOrEqualTo(6).allSatisfy(q -> assertThat(q.transport()).isEqualTo(Transport.UDP));
    }
  }

  @Test
  void takesTheGluedWayOutOfANameServerCycle() throws Exception {
    try (Lab lab = Lab.builder().scenario("ns-cycle-way-out").port(0).start(); DnslabRecursor recursor = start(lab)) {
      String web = lab.address("127.53.0.80").getHostAddress();

      assertThat(data(ask(recursor, "www.exit-b.com.", Type.A))).containsExactly(web);
      assertThat(data(ask(recursor, "www.exit-a.com.", Type.A))).containsExactly(web);
      assertThat(asked(lab, "ns1.exit-a.com.", Type.A)).as("exit-b.com's server, found in exit-a.com").isNotEmpty();
    }
  }

  @Test
  void followsTheLabsDnamesAcrossZonesAndIntoAWildcard() throws Exception {
    try (Lab lab = Lab.builder().scenario("dname").port(0).start(); DnslabRecursor recursor = start(lab)) {
      String web = lab.address("127.53.0.80").getHostAddress();

      assertThat(data(ask(recursor, "www.nhn.com.", Type.A)))
          .containsExactlyInAnyOrder("naver.com.", "www.naver.com.", "www.naver.com.nheos.com.", web);
      assertThat(data(ask(recursor, "x.legacy.example.co.kr.", Type.A)))
          .containsExactlyInAnyOrder("blog.example.co.kr.", "x.blog.example.co.kr.", web);
      Message nxdomain = ask(recursor, "nosuch.nhn.com.", Type.A);
      assertThat(nxdomain.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(data(nxdomain)).containsExactlyInAnyOrder("naver.com.", "nosuch.naver.com.");
    }
  }

  @Test
  void derivesTheCnameFromTheDnameAndIgnoresAForgedOne() throws Exception {
    try (Lab lab = Lab.builder().scenario("dname-forged-cname").port(0).start(); DnslabRecursor recursor = start(lab)) {
      Message response = ask(recursor, "www.nhn.com.", Type.A);

      assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(data(response)).containsExactlyInAnyOrder(
          "naver.com.", "www.naver.com.", "www.naver.com.nheos.com.", lab.address("127.53.0.80").getHostAddress());
      assertThat(lab.journal().queries(q -> q.qname().toLowerCase().contains("forged"))).isEmpty();
    }
  }

  /**
   * RFC 8914: every SERVFAIL the recursor gives carries an Extended DNS Error whose EXTRA-TEXT names
   * the zone, over the lab's own fault scenarios: a lame server (20), REFUSED from the TLD (20), an
   * upstream SERVFAIL (23), replies that never match (22: nothing usable arrived in time), a CNAME
   * loop (0, Other).
   */
  @ParameterizedTest
  @CsvSource({
      "lame-delegation, www.lame.com., 20, lame.com.",
      "refused, www.naver.com., 20, com.",
      "servfail, www.google.com., 23, google.com.",
      "wrong-id, www.google.com., 22, google.com.",
      "cname-loop, loop1.cname.google.com., 0, loop1.cname.google.com."})
  void explainsEveryServfailWithAnExtendedDnsError(String scenario, String name, int code, String named)
      throws Exception {
    try (Lab lab = Lab.builder().scenario(scenario).port(0).start(); DnslabRecursor recursor = start(lab)) {
      Message response = ask(recursor, name, Type.A);

      assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
      ExtendedErrorCodeOption ede = ede(response);
      assertThat(ede.getErrorCode()).as(ede.getText()).isEqualTo(code);
      assertThat(ede.getText()).contains(named);
    }
  }

  /**
   * Each broken-DNSSEC scenario, the recursor validating from the lab's anchor: SERVFAIL (or the
   * insecure answer the scenario allows) with the RFC 8914 code that says what broke, and its
   * EXTRA-TEXT naming the zone.
   */
  @ParameterizedTest(name = "{0}: {1} {2} {3}")
  @CsvSource({
      "dnssec-bad-signature, www.google.com., SERVFAIL, 6, google.com.",
      "dnssec-ds-mismatch, www.google.com., SERVFAIL, 9, google.com.",
      "dnssec-expired, www.google.com., SERVFAIL, 7, google.com.",
      "dnssec-not-yet-valid, www.google.com., SERVFAIL, 8, google.com.",
      "dnssec-no-dnskey, www.google.com., SERVFAIL, 9, google.com.",
      "dnssec-no-rrsig, www.google.com., SERVFAIL, 10, google.com.",
      "dnssec-nsec-not-covering, nosuch.google.com., SERVFAIL, 12, google.com.",
      "dnssec-keytrap, www.google.com., SERVFAIL, 6, google.com.",
      "dnssec-wildcard-no-proof, any.blog.example.co.kr., SERVFAIL, 12, example.co.kr.",
      "dnssec-unsupported-algorithm, www.google.com., NOERROR, 1, google.com."})
  void explainsEveryBrokenChainWithItsExtendedDnsError(String scenario, String name, String rcode, int code,
      String named) throws Exception {
    try (Lab lab = Lab.builder().scenario(scenario).port(0).start(); DnslabRecursor recursor = start(lab, true)) {
      Message response = ask(recursor, name, Type.A);

      ExtendedErrorCodeOption ede = ede(response);
      assertThat(Rcode.string(response.getRcode())).as(String.valueOf(ede)).isEqualTo(rcode);
      assertThat(response.getHeader().getFlag(Flags.AD)).isFalse();
      assertThat(ede.getErrorCode()).as(ede.getText()).isEqualTo(code);
      assertThat(ede.getText()).contains(named);
    }
  }

  /** RFC 4035 3.2.2: with CD the client gets the bogus data itself, unvalidated, without AD. */
  @Test
  void givesBogusDataOnlyToAClientThatSetCd() throws Exception {
    try (Lab lab = Lab.builder().scenario("dnssec-bad-signature").port(0).start();
        DnslabRecursor recursor = start(lab, true)) {
      Message checked = ask(recursor, "www.google.com.", Type.A);
      Message unchecked = askWithCd(recursor, "www.google.com.", Type.A);

      assertThat(checked.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(unchecked.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(data(unchecked)).containsExactly(lab.address("127.53.0.80").getHostAddress());
      assertThat(unchecked.getHeader().getFlag(Flags.AD)).isFalse();
      assertThat(ask(recursor, "www.google.com.", Type.A).getRcode()).as("and still not without CD")
          .isEqualTo(Rcode.SERVFAIL);
    }
  }

  @Test
  void servesTheExpiredAnswerWithEde3OnceTheAuthorityIsSilent() throws Exception {
    try (Lab lab = Lab.builder().scenario("serve-stale").port(0).start();
        DnslabRecursor recursor = new DnslabRecursor().servingStale()) {
      recursor.start(lab, work);
      String web = lab.address("127.53.0.80").getHostAddress();
      Message fresh = ask(recursor, "www.stale.google.com.", Type.A);
      assertThat(data(fresh)).containsExactly(web);
      assertThat(fresh.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)).as("fresh: no EDE").isEmpty();

      // Asked until the 2 s TTL has run out: then the only server is silent for the name.
      Message stale = fresh;
      long took = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (stale.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).isEmpty() && System.nanoTime() < deadline) {
        long start = System.nanoTime();
        stale = ask(recursor, "www.stale.google.com.", Type.A);
        took = Duration.ofNanos(System.nanoTime() - start).toMillis();
      }

      // RFC 8767 4 and 5: the expired data, TTL 30 s, EDE 3, after the 1.8 s client response timer.
      assertThat(stale.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(data(stale)).containsExactly(web);
      assertThat(stale.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(30L);
      assertThat(stale.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)).singleElement()
          .satisfies(option -> assertThat(((ExtendedErrorCodeOption) option).getErrorCode())
              .isEqualTo(ExtendedErrorCodeOption.STALE_ANSWER));
      assertThat(took).as("ms, within the client response timer and the stub's 5 s").isLessThan(5000);
      assertThat(lab.journal().faults()).as("the authority went silent").isNotEmpty();
    }
  }

  private DnslabRecursor start(Lab lab) throws Exception {
    return start(lab, MinimisedQueryType.A, false);
  }

  private DnslabRecursor start(Lab lab, MinimisedQueryType minimisedQueryType) throws Exception {
    return start(lab, minimisedQueryType, false);
  }

  private DnslabRecursor start(Lab lab, boolean validating) throws Exception {
    return start(lab, MinimisedQueryType.A, validating);
  }

  private DnslabRecursor start(Lab lab, MinimisedQueryType minimisedQueryType, boolean validating) throws Exception {
    DnslabRecursor recursor = new DnslabRecursor(minimisedQueryType, validating);
    recursor.start(lab, work);
    return recursor;
  }

  private static Message askWithCd(DnslabRecursor recursor, String name, int type) throws Exception {
    SimpleResolver resolver = new SimpleResolver(recursor.address());
    resolver.setTimeout(Duration.ofSeconds(5));
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    query.getHeader().setFlag(Flags.CD);
    return resolver.send(query);
  }

  private static ExtendedErrorCodeOption ede(Message response) {
    return response.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).stream()
        .map(ExtendedErrorCodeOption.class::cast).findFirst().orElseThrow();
  }

  private static Message ask(DnslabRecursor recursor, String name, int type) throws Exception {
    SimpleResolver resolver = new SimpleResolver(recursor.address());
    resolver.setTimeout(Duration.ofSeconds(5));
    resolver.setEDNS(0); // so an Extended DNS Error (RFC 8914) can come back
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    return resolver.send(query);
  }

  /** The answer section's RDATA, lower-cased and sorted. */
  private static Set<String> data(Message response) {
    Set<String> data = new TreeSet<>();
    response.getSection(Section.ANSWER).forEach(record -> data.add(record.rdataToString().toLowerCase()));
    return data;
  }

  /** Queries for exactly {@code name}/{@code type} that reached the lab's authoritative server. */
  private static List<RecordedQuery> asked(Lab lab, String name, int type) {
    return lab.journal().queries(q -> q.server().equals(LabRole.AUTHORITATIVE.serviceName())
        && q.qname().equalsIgnoreCase(name) && q.qtype() == type);
  }
}
