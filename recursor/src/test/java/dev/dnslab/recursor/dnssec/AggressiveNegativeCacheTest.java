package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.recursor.iterator.ResolutionLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * RFC 8198 over the real signed lab: negative answers from a signed authority server (NSEC in
 * google.com and the root, NSEC3 in example.co.kr and kr, NSEC3 with Opt-Out in com) are learned,
 * and later questions are answered, or declined, exactly as the authority would answer them.
 */
class AggressiveNegativeCacheTest {
  @TempDir static Path keyDir;
  static SignedLabAuthority authority;

  private final MovableClock clock = new MovableClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private AggressiveNegativeCache cache;

  @BeforeAll
  static void startSignedLab() throws Exception {
    authority = SignedLabAuthority.start(keyDir);
  }

  @AfterAll
  static void stopSignedLab() {
    authority.close();
  }

  @BeforeEach
  void newCache() {
    cache = new AggressiveNegativeCache(AggressiveNegativeCache.DEFAULT_MAX_RRSETS, ResolutionLimits.DEFAULT.validation(),
        clock, registry);
  }

  @Test
  void answersNxdomainFromNsecForANameNeverAsked() throws Exception {
    learn("nosuch.google.com.", Type.A);

    // mail.google. -> ns1.google.com. covers both; *.google.com. is covered by the apex's NSEC.
    SynthesizedAnswer answer = cache.answer(name("nothere.google.com."), Type.A).orElseThrow();

    assertThat(answer.rcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(answer.denial()).isEqualTo("nsec");
    assertThat(answer.zone()).isEqualTo(name("google.com."));
    assertThat(owners(answer)).isEqualTo(proofOwners(authority.queryWithDo("nothere.google.com.", Type.A)));
    assertThat(answer.verdict().isSecure()).isTrue();
  }

  @Test
  void answersNodataFromTheNamesOwnNsecBitmap() throws Exception {
    learn("www.google.com.", Type.TXT);

    assertThat(cache.answer(name("www.google.com."), Type.MX)).hasValueSatisfying(answer -> {
      assertThat(answer.rcode()).isEqualTo(Rcode.NOERROR);
      assertThat(answer.kind()).isEqualTo("NODATA");
    });
    assertThat(cache.answer(name("www.google.com."), Type.A)).as("the bitmap has A").isEmpty();
  }

  @Test
  void answersNodataForAnEmptyNonTerminal() throws Exception {
    learn("l.google.com.", Type.A); // only googlemail.l.google.com. exists

    assertThat(cache.answer(name("l.google.com."), Type.AAAA)).hasValueSatisfying(
        answer -> assertThat(answer.kind()).isEqualTo("NODATA"));
  }

  @Test
  void answersNxdomainFromNsec3WithClosestEncloserNextCloserAndWildcard() throws Exception {
    learn("nosuch.example.co.kr.", Type.A);

    SynthesizedAnswer answer = cache.answer(name("nosuch.example.co.kr."), Type.AAAA).orElseThrow();

    assertThat(answer.rcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(answer.denial()).isEqualTo("nsec3");
    assertThat(owners(answer)).isEqualTo(proofOwners(authority.queryWithDo("nosuch.example.co.kr.", Type.AAAA)));
  }

  @Test
  void agreesWithTheAuthorityOnEveryNameItAnswersAndAnswersSome() throws Exception {
    for (String learned : List.of("a.google.com.", "q.google.com.", "zz.google.com.", "a.example.co.kr.",
        "q.example.co.kr.", "zz.example.co.kr.", "nosuch.kr.", "other.kr.", "zz.", "nosuch.")) {
      learn(learned, Type.A);
    }

    int synthesized = 0;
    for (String zone : List.of("google.com.", "example.co.kr.", "kr.", "")) {
      for (int i = 0; i < 30; i++) {
        String name = "name" + i + "." + zone;
        Optional<SynthesizedAnswer> answer = cache.answer(name(name), Type.A);
        if (answer.isPresent()) {
          Message truth = authority.queryWithDo(name, Type.A);
          assertThat(answer.get().rcode()).as(name).isEqualTo(truth.getRcode());
          assertThat(owners(answer.get())).as(name).isEqualTo(proofOwners(truth));
          synthesized++;
        }
      }
    }
    assertThat(synthesized).as("names answered from the cache").isGreaterThan(10);
  }

  @Test
  void neverAnswersFromAnOptOutSpan() throws Exception {
    SignedAnswer com = authority.signedAnswer("nosuch.com.", Type.A);
    assertThat(com.rcode()).isEqualTo(Rcode.NXDOMAIN);
    cache.learn(com, Verdict.secure("test"));

    assertThat(cache.size()).as("the proofs were kept").isGreaterThan(1);
    assertThat(cache.answer(name("nosuch.com."), Type.A)).as("RFC 5155 6: an unsigned delegation may be there").isEmpty();
    assertThat(cache.answer(name("other.com."), Type.A)).isEmpty();
  }

  @Test
  void neverAnswersBelowADelegationFromTheParentsNsec() throws Exception {
    learn("comx.", Type.A); // the root's NSEC com. -> kr. covers it, and every name under com.

    assertThat(cache.answer(name("comy."), Type.A)).isPresent();
    assertThat(cache.answer(name("www.google.com."), Type.A)).as("com. is a delegation (NS, no SOA)").isEmpty();
    assertThat(cache.answer(name("nosuch.com."), Type.A)).isEmpty();
  }

  @Test
  void neverAnswersForAnotherZone() throws Exception {
    learn("nosuch.google.com.", Type.A);

    assertThat(cache.answer(name("nosuch.naver.com."), Type.A)).isEmpty();
    assertThat(cache.answer(name("zzz.google.com."), Type.A)).as("its NSEC www -> apex was never seen").isEmpty();
  }

  @Test
  void forgetsProofsAfterTheSoaMinimum() throws Exception {
    learn("nosuch.google.com.", Type.A); // google.com. SOA: TTL 60, MINIMUM 60

    clock.advance(Duration.ofSeconds(30));
    assertThat(cache.answer(name("nothere.google.com."), Type.A)).hasValueSatisfying(
        answer -> assertThat(answer.authority().get(0).getTTL()).isEqualTo(30));
    clock.advance(Duration.ofSeconds(30));
    assertThat(cache.answer(name("nothere.google.com."), Type.A)).isEmpty();
  }

  @Test
  void forgetsProofsWhenTheirSignaturesExpireBeforeTheTtl() throws Exception {
    SignedAnswer answer = authority.signedAnswer("nosuch.google.com.", Type.A);
    Instant expires = answer.authority().stream().flatMap(s -> s.sigs().stream())
        .map(RRSIGRecord::getExpire).min(Instant::compareTo).orElseThrow();
    clock.advance(Duration.between(clock.instant(), expires.minusSeconds(10)));
    cache.learn(answer, Verdict.secure("test"));

    assertThat(cache.answer(name("nothere.google.com."), Type.A)).hasValueSatisfying(
        synthesized -> assertThat(synthesized.authority().get(1).getTTL()).isLessThanOrEqualTo(10));
    clock.advance(Duration.ofSeconds(10));
    assertThat(cache.answer(name("nothere.google.com."), Type.A)).isEmpty();
  }

  @Test
  void ignoresProofsWhoseSignaturesHaveExpired() throws Exception {
    SignedAnswer answer = authority.signedAnswer("nosuch.google.com.", Type.A);
    clock.advance(Duration.between(clock.instant(), answer.authority().get(0).sigs().get(0).getExpire().plusSeconds(1)));

    cache.learn(answer, Verdict.secure("test"));

    assertThat(cache.size()).isZero();
  }

  @Test
  void learnsNothingFromAnAnswerThatIsNotSecure() throws Exception {
    cache.learn(authority.signedAnswer("nosuch.google.com.", Type.A), Verdict.bogus("test"));
    cache.learn(authority.signedAnswer("nosuch.google.com.", Type.A), Verdict.insecure("test"));

    assertThat(cache.size()).isZero();
  }

  @Test
  void keepsAtMostItsBoundOfRrsets() throws Exception {
    cache = new AggressiveNegativeCache(4, ResolutionLimits.DEFAULT.validation(), clock, registry);
    for (String name : List.of("a.google.com.", "nosuch.google.com.", "zz.google.com.", "nosuch.example.co.kr.")) {
      learn(name, Type.A);
    }

    assertThat(cache.size()).isEqualTo(4);
  }

  @Test
  void sendsProofsAndSignaturesOnlyToAClientWithDo() throws Exception {
    learn("nosuch.google.com.", Type.A);
    SynthesizedAnswer answer = cache.answer(name("nothere.google.com."), Type.A).orElseThrow();

    assertThat(answer.authorityRecords(false)).extracting(Record::getType).containsExactly(Type.SOA);
    // SOA, then NSEC mail.google.com. (covers the name) and NSEC google.com. (covers *.google.com.), each signed.
    assertThat(answer.authorityRecords(true)).extracting(Record::getType)
        .containsExactly(Type.SOA, Type.RRSIG, Type.NSEC, Type.RRSIG, Type.NSEC, Type.RRSIG);
  }

  @Test
  void countsSynthesizedAnswersByRcodeAndDenial() throws Exception {
    learn("nosuch.google.com.", Type.A);
    cache.answer(name("nothere.google.com."), Type.A);
    cache.answer(name("nothere.google.com."), Type.TXT);

    assertThat(registry.get(AggressiveNegativeCache.SYNTHESIZED).tags("rcode", "NXDOMAIN", "denial", "nsec")
        .counter().count()).isEqualTo(2);
  }

  private void learn(String name, int type) throws Exception {
    SignedAnswer answer = authority.signedAnswer(name, type);
    assertThat(answer.rcode()).as(name).isIn(Rcode.NXDOMAIN, Rcode.NOERROR);
    assertThat(answer.answer()).as(name + ": a negative answer").isEmpty();
    cache.learn(answer, Verdict.secure("validated by the test's signed lab"));
  }

  private static Set<String> owners(SynthesizedAnswer answer) {
    return answer.authority().stream().filter(s -> s.getType() != Type.SOA).map(s -> s.getName().toString().toLowerCase())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> proofOwners(Message reply) {
    return reply.getSectionRRsets(Section.AUTHORITY).stream().filter(s -> s.getType() == Type.NSEC || s.getType() == Type.NSEC3)
        .map(RRset::getName).map(n -> n.toString().toLowerCase()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }
}
