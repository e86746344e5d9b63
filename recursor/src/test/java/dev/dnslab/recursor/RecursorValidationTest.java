package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The recursor validating the signed lab from its root's trust anchor (RFC 4035 5): AD on secure
 * answers for clients that set DO or AD (RFC 6840 5.7), none on insecure ones, and a warm cache that
 * validates again without going upstream.
 */
class RecursorValidationTest {
  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).signed().emptyCacheBeforeEach();

  @ParameterizedTest(name = "{0} {1}: {2}, AD {3}")
  @CsvSource({
      "www.google.com., A, NOERROR, true",
      "mail.google.com., A, NOERROR, true",
      "nosuch.google.com., A, NXDOMAIN, true",
      "google.com., MX, NOERROR, true",
      "www.google.com., TXT, NOERROR, true",
      "www.example.co.kr., A, NOERROR, true",
      "nosuch.example.co.kr., A, NXDOMAIN, true",
      "x.blog.example.co.kr., A, NOERROR, true",
      "www.naver.com., A, NOERROR, false",
      "www.example.org., A, NOERROR, false",
      // RFC 6672 5.3.1: the CNAME a DNAME stands for is unsigned; the signed DNAME vouches for it.
      "x.legacy.example.co.kr., A, NOERROR, true",
      "ns1.nhn.com., A, NOERROR, true",
      "www.nhn.com., CNAME, NOERROR, true",
      "nosuch.nhn.com., A, NXDOMAIN, true",
      // Secure up to www.naver.com, whose CNAME leads into the unsigned nheos.com.
      "www.nhn.com., A, NOERROR, false"})
  void validatesAndSetsAdOnlyOnSecureAnswers(String name, String type, String rcode, boolean ad) throws Exception {
    Message response = Dig.queryEdns(recursor.server().dnsAddress(), name, Type.value(type), true, false, false);

    assertThat(Rcode.string(response.getRcode())).as(String.valueOf(Dig.ede(response))).isEqualTo(rcode);
    assertThat(response.getHeader().getFlag(Flags.AD)).as("AD").isEqualTo(ad);
  }

  @Test
  void passesAnUpstreamYxdomainOnWithTheSignedDname() throws Exception {
    Message response = Dig.queryEdns(recursor.server().dnsAddress(), RecursorDnameTest.TOO_LONG_BELOW_NHN, Type.A,
        true, false, false);

    // RFC 6672 2.2: YXDOMAIN with the DNAME, and with DO its RRSIG (RFC 4035 3.1.1), not SERVFAIL.
    assertThat(Rcode.string(response.getRcode())).isEqualTo("YXDOMAIN");
    assertThat(response.getSection(Section.ANSWER)).extracting(r -> r.getName() + " " + Type.string(r.getType()))
        .containsExactly("nhn.com. DNAME", "nhn.com. RRSIG");
  }

  @Test
  void setsAdForAClientThatSetAdWithoutDoButGivesItNoSignatures() throws Exception {
    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, false, false, true);

    assertThat(response.getHeader().getFlag(Flags.AD)).as("RFC 6840 5.7").isTrue();
    assertThat(response.getSection(Section.ANSWER)).noneMatch(r -> r.getType() == Type.RRSIG);
  }

  @Test
  void setsNoAdForAClientThatAskedForNeither() throws Exception {
    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, false, false, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getHeader().getFlag(Flags.AD)).isFalse();
  }

  @Test
  void validatesACachedAnswerAgainWithoutAnyUpstreamQuery() throws Exception {
    Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, true, false, false);
    double sent = upstreamQueries();
    double fromVerdictCache = validations("cache");

    Message again = Dig.queryEdns(recursor.server().dnsAddress(), "www.google.com.", Type.A, true, false, false);

    assertThat(again.getHeader().getFlag(Flags.AD)).isTrue();
    assertThat(upstreamQueries()).as("no DS or DNSKEY fetched again").isEqualTo(sent);
    assertThat(validations("cache")).isEqualTo(fromVerdictCache + 1);
  }

  @Test
  void answersANameTheValidatedNsecAlreadyDeniesWithoutAsking() throws Exception {
    Dig.queryEdns(recursor.server().dnsAddress(), "nosuch.google.com.", Type.A, true, false, false);
    double sent = upstreamQueries();

    // RFC 8198: the NSEC from mail.google.com to the next name, and the one denying the wildcard,
    // cover this name too.
    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "nothere.google.com.", Type.A, true, false, false);

    assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    assertThat(response.getSection(Section.AUTHORITY)).extracting(r -> Type.string(r.getType()))
        .contains("SOA", "NSEC", "RRSIG");
    assertThat(upstreamQueries()).as("nothing asked").isEqualTo(sent);
  }

  @Test
  void asksOneUpstreamQueryForEachNewNameUnderTheWildcard() throws Exception {
    Dig.queryEdns(recursor.server().dnsAddress(), "a.blog.example.co.kr.", Type.A, true, false, false);
    double sent = upstreamQueries();

    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "b.blog.example.co.kr.", Type.A, true, false,
        false);

    assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    // RFC 9156 2.3: the NODATA for the shortened blog.example.co.kr is cached, so it is not asked again.
    assertThat(upstreamQueries()).as("only the new name asked").isEqualTo(sent + 1);
  }

  @Test
  void fetchesEachDnskeyOfAColdWalkOnce() throws Exception {
    recursor.server().resolver().validationFlush().flushedAll();
    double before = recursor.lab().requests(Type.DNSKEY);

    Message response = Dig.queryEdns(recursor.server().dnsAddress(), "www.example.co.kr.", Type.A, true, false, false);

    assertThat(response.getHeader().getFlag(Flags.AD)).isTrue();
    // The root's, kr's, co.kr's and example.co.kr's: prefetched at the signed referrals beside the
    // walk, and joined or found in the cache by the validator, never asked twice.
    assertThat(recursor.lab().requests(Type.DNSKEY) - before).isEqualTo(4);
  }

  @Test
  void prefetchesTheKeysOfACutNoReferralShowedBesideTheWalk() throws Exception {
    recursor.server().resolver().validationFlush().flushedAll();
    double ds = recursor.lab().requests(Type.DS);
    double dnskey = recursor.lab().requests(Type.DNSKEY);

    // Checking disabled (RFC 4035 3.2.2): no validator asks for anything, so what is fetched is the
    // prefetch alone. The TLD server serves kr and co.kr, so no referral shows the co.kr cut; the
    // referral to example.co.kr carries a DS signed by co.kr, which names it.
    Dig.queryEdns(recursor.server().dnsAddress(), "www.example.co.kr.", Type.A, true, true, false);

    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (recursor.lab().requests(Type.DNSKEY) - dnskey < 4 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(recursor.lab().requests(Type.DS) - ds).as("co.kr's DS").isEqualTo(1);
    assertThat(recursor.lab().requests(Type.DNSKEY) - dnskey).as("the root's, kr's, co.kr's and example.co.kr's")
        .isEqualTo(4);
  }

  @Test
  void tracesTheChainOfTrustOfTheAnswer() throws Exception {
    var trace = recursor.server().resolver().trace(org.xbill.DNS.Name.fromString("www.google.com."), Type.A).get();

    assertThat(trace.dnssec()).isNotNull();
    assertThat(trace.dnssec().security()).isEqualTo("SECURE");
    assertThat(trace.dnssec().chain()).extracting(link -> link.zone()).contains(".", "com.", "google.com.");
  }

  private static double upstreamQueries() {
    return recursor.server().registry().find(RecursorMetrics.UPSTREAM_QUERIES).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  private static double validations(String source) {
    return recursor.server().registry().find(RecursorMetrics.VALIDATIONS).tag("source", source).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }
}
