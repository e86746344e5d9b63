package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.fault.DsMismatchFault;
import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.KeyTrapFault;
import dev.dnslab.core.fault.Nsec3IterationsFault;
import dev.dnslab.core.fault.NsecNotCoveringFault;
import dev.dnslab.core.fault.QueryMatch;
import dev.dnslab.core.fault.RecordStripFault;
import dev.dnslab.core.fault.SignatureCorruptFault;
import dev.dnslab.core.fault.SignatureWindowFault;
import dev.dnslab.core.fault.UnsupportedAlgorithmFault;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The validator over the signed lab: the lab's own zone files and dnssec.yaml signed by core's
 * ZoneSigner, answered by core's AuthorityHandler with DO set (the code the lab servers run), and
 * every DNSSEC fault kind of core/fault installed on the server its scenario names.
 */
class ValidatorTest {
  private static final Name GOOGLE = Name.fromConstantString("google.com.");
  private static SignedLabAuthorities lab;

  @BeforeAll
  static void signLab() throws Exception {
    lab = SignedLabAuthorities.shared();
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource({
    "www.google.com.,          A,     NOERROR",   // ECDSA P-256 CSK under NSEC3 com under RSA root
    "naver.com.,               A,     NOERROR",   // Ed25519 CSK
    "org.,                     SOA,   NOERROR",   // Ed25519 KSK+ZSK
    "com.,                     DS,    NOERROR",   // RSASHA256: the root signs com's DS
    "www.example.co.kr.,       A,     NOERROR",   // ECDSA under Ed25519 co.kr, under NSEC3 kr
    "mail.google.com.,         A,     NOERROR",   // CNAME inside the zone
    "shop.example.co.kr.,      A,     NOERROR",   // CNAME inside an NSEC3 zone
    "google.com.,              DNSKEY, NOERROR",
  })
  void validatesSignedAnswersAsSecure(String name, String type, String rcode) throws Exception {
    Validation validation = validate(lab, name, type);

    assertThat(validation.verdict().security()).as(validation.toString()).isEqualTo(Security.SECURE);
    assertThat(validation.verdict().edeCode()).isEqualTo(Verdict.NO_EDE);
    assertThat(validation.chain()).first().extracting(ChainLink::zone).isEqualTo(Name.root);
    assertThat(validation.chain()).allSatisfy(link -> assertThat(link.security()).isEqualTo(Security.SECURE));
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource({
    "nosuch.google.com.,       A,     NXDOMAIN",  // NSEC: covering + wildcard
    "no-such-tld.,             A,     NXDOMAIN",  // NSEC, RSA root
    "nosuch.org.,              A,     NXDOMAIN",  // NSEC, Ed25519
    "nosuch.net.,              A,     NXDOMAIN",  // NSEC3: closest encloser, next closer, wildcard
    "nosuch.kr.,               A,     NXDOMAIN",  // NSEC3
    "nosuch.example.co.kr.,    A,     NXDOMAIN",  // NSEC3
    "google.com.,              HTTPS, NOERROR",   // NSEC NODATA: type bitmap
    "l.google.com.,            A,     NOERROR",   // NSEC empty non-terminal
    "www.example.co.kr.,       HTTPS, NOERROR",   // NSEC3 NODATA: matching NSEC3
    "blog.example.co.kr.,      A,     NOERROR",   // NSEC3 empty non-terminal
  })
  void validatesNegativeAnswersThroughTheirProofs(String name, String type, String rcode) throws Exception {
    SignedAnswer answer = lab.ask(Name.fromString(name), Type.value(type)).get(10, TimeUnit.SECONDS);

    Validation validation = validator(lab).validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(Rcode.string(answer.rcode())).isEqualTo(rcode);
    assertThat(answer.answer()).isEmpty();
    assertThat(validation.verdict().security()).as(validation.toString()).isEqualTo(Security.SECURE);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "x.blog.example.co.kr.,    A",    // NSEC3: the next closer name is covered
    "a.b.blog.example.co.kr.,  A",
    "x.blog.example.co.kr.,    HTTPS", // wildcard NODATA: NSEC3 at *.blog without HTTPS
  })
  void validatesWildcardAnswersWithTheirProofs(String name, String type) throws Exception {
    Validation validation = validate(lab, name, type);

    assertThat(validation.verdict().security()).as(validation.toString()).isEqualTo(Security.SECURE);
    assertThat(validation.verdict().reason()).contains("wildcard");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "www.example.org.,           A, example.org.",   // org's NSEC: NS, no DS
    "nosuch.example.org.,        A, example.org.",
    "www.naver.com.nheos.com.,   A, nheos.com.",     // com's NSEC3 Opt-Out span
    "www.naver.com.,             A, nheos.com.",     // signed CNAME into the unsigned zone
    "nosuch.com.,                A, nosuch.com.",    // NXDOMAIN inside an Opt-Out span (RFC 5155 9.2)
  })
  void provesUnsignedDelegationsInsecure(String name, String type, String insecureAt) throws Exception {
    Validation validation = validate(lab, name, type);

    assertThat(validation.verdict().security()).as(validation.toString()).isEqualTo(Security.INSECURE);
    assertThat(validation.verdict().reason()).contains(insecureAt);
  }

  @Test
  void recordsTheChainOfTrustFromTheAnchorDown() throws Exception {
    Validation validation = validate(lab, "www.naver.com.", "A");

    assertThat(validation.chain()).extracting(ChainLink::zone).map(Name::toString)
        .containsExactly(".", "com.", "naver.com.", "nheos.com.");
    ChainLink naver = validation.chain().get(2);
    assertThat(naver.ds()).isNotEmpty();
    assertThat(naver.dnskeys()).anySatisfy(key -> assertThat(key.trusted()).isTrue());
    assertThat(naver.signatures()).extracting(ChainLink.Signature::type).contains("DNSKEY", "CNAME");
    assertThat(validation.chain().get(3).security()).isEqualTo(Security.INSECURE);
  }

  @Test
  void validatesFromTheKeyCacheWithoutFetchingAgain() throws Exception {
    Validator validator = validator(lab);
    SignedAnswer answer = lab.ask(Name.fromString("www.google.com."), Type.A).get(10, TimeUnit.SECONDS);
    Validation cold = validator.validate(answer).get(10, TimeUnit.SECONDS);
    int fetchesBefore = lab.fetches();

    Validation warm = validator.validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(cold.work().keyFetches()).isGreaterThanOrEqualTo(5);
    assertThat(warm.verdict().security()).isEqualTo(Security.SECURE);
    assertThat(warm.work().keyFetches()).isZero();
    assertThat(lab.fetches()).isEqualTo(fetchesBefore);
    assertThat(warm.work().signatureVerifications()).isEqualTo(1);
    assertThat(warm.chain()).extracting(ChainLink::zone).map(Name::toString).containsExactly(".", "com.", "google.com.");
  }

  @Test
  void remembersProvenInsecureCuts() throws Exception {
    Validator validator = validator(lab);
    validator.validate(lab.ask(Name.fromString("www.example.org."), Type.A).get()).get(10, TimeUnit.SECONDS);

    Validation warm = validator.validate(lab.ask(Name.fromString("nosuch.example.org."), Type.A).get())
        .get(10, TimeUnit.SECONDS);

    assertThat(warm.verdict().security()).isEqualTo(Security.INSECURE);
    assertThat(warm.work().keyFetches()).isZero();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "www.example.org.,     A",     // unsigned data below org's proven unsigned cut
    "nosuch.example.org.,  A",     // unsigned NXDOMAIN there
    "www.example.org.,     HTTPS", // unsigned NODATA there
  })
  void judgesUnsignedAnswersBelowAKnownInsecureCutAsTheFullWalkDoes(String name, String type) throws Exception {
    SignedAnswer answer = lab.ask(Name.fromString(name), Type.value(type)).get(10, TimeUnit.SECONDS);
    Validator validator = validator(lab);
    // A cold validator walks the chain of trust (fetches, futures); the warm one knows the cut.
    Validation walked = validator.validate(answer).get(10, TimeUnit.SECONDS);

    Validation known = validator.validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(walked.verdict().security()).as(walked.toString()).isEqualTo(Security.INSECURE);
    assertThat(walked.work().keyFetches()).isPositive();
    assertThat(known.verdict()).isEqualTo(walked.verdict());
    assertThat(known.chain()).isEqualTo(walked.chain());
    assertThat(known.work()).isEqualTo(Validation.ValidationWork.NONE);
  }

  @Test
  void sharesOneValidationBetweenUnsignedAnswersBelowTheSameKnownCut() throws Exception {
    Validator validator = validator(lab);
    validator.validate(lab.ask(Name.fromString("www.example.org."), Type.A).get()).get(10, TimeUnit.SECONDS);

    Validation first = validator.validate(lab.ask(Name.fromString("www.example.org."), Type.A).get())
        .get(10, TimeUnit.SECONDS);
    Validation second = validator.validate(lab.ask(Name.fromString("nosuch.example.org."), Type.A).get())
        .get(10, TimeUnit.SECONDS);
    Validation secure = validator.validate(lab.ask(Name.fromString("www.google.com."), Type.A).get())
        .get(10, TimeUnit.SECONDS);
    Validation after = validator.validate(lab.ask(Name.fromString("nosuch.example.org."), Type.A).get())
        .get(10, TimeUnit.SECONDS);

    assertThat(first.verdict().security()).isEqualTo(Security.INSECURE);
    assertThat(second).isSameAs(first);
    assertThat(secure.verdict().security()).isEqualTo(Security.SECURE);
    assertThat(secure).isNotEqualTo(first);
    assertThat(after).isEqualTo(first);
  }

  @Test
  void keepsNoTextOfItsOwnForSecureWildcardAnswers() throws Exception {
    Validator validator = validator(lab);
    validator.validate(lab.ask(Name.fromString("w.blog.example.co.kr."), Type.A).get(10, TimeUnit.SECONDS))
        .get(10, TimeUnit.SECONDS); // the keys fetched: the answers below cost alike
    SignedAnswer first = lab.ask(Name.fromString("x.blog.example.co.kr."), Type.A).get(10, TimeUnit.SECONDS);
    SignedAnswer second = lab.ask(Name.fromString("y.blog.example.co.kr."), Type.A).get(10, TimeUnit.SECONDS);

    Validation one = validator.validate(first).get(10, TimeUnit.SECONDS);
    Validation two = validator.validate(second).get(10, TimeUnit.SECONDS);

    // The text reads as it always did, made when read.
    assertThat(one.verdict().reason())
        .isEqualTo("x.blog.example.co.kr./A expanded from a wildcard, x.blog.example.co.kr. proven absent");
    // Each signature entry of the answer's zone names its RRset by the very name the answer holds.
    List<Name> owners = Stream.concat(first.answer().stream(), first.authority().stream())
        .map(RRset::getName).toList();
    ChainLink zone = one.chain().get(one.chain().size() - 1);
    assertThat(zone.zone()).isEqualTo(Name.fromString("example.co.kr."));
    assertThat(zone.signatures()).filteredOn(s -> s.type().equals("A") || s.type().equals("NSEC3")).isNotEmpty()
        .allSatisfy(s -> assertThat(owners).anySatisfy(owner -> assertThat(s.owner()).isSameAs(owner)));
    // "verified with key N" once per key, not per answer.
    ChainLink.Signature a1 = zone.signatures().stream().filter(s -> s.type().equals("A")).findFirst().orElseThrow();
    ChainLink.Signature a2 = two.chain().get(two.chain().size() - 1).signatures().stream()
        .filter(s -> s.type().equals("A")).findFirst().orElseThrow();
    assertThat(a1.reason()).isEqualTo("verified with key " + a1.keyTag()).isSameAs(a2.reason());
    // And what they cost, counted alike, is one instance.
    assertThat(one.work().signatureVerifications()).isPositive();
    assertThat(two.work()).isSameAs(one.work());
  }

  @Test
  void findsAnUnsignedRRsetOfASignedZoneBogusAfterAnUnsignedOneBelowAKnownInsecureCut() throws Exception {
    Validator validator = validator(lab);
    validator.validate(lab.ask(Name.fromString("www.example.org."), Type.A).get()).get(10, TimeUnit.SECONDS);
    validator.validate(lab.ask(Name.fromString("www.google.com."), Type.A).get()).get(10, TimeUnit.SECONDS);
    // www.example.org (insecure, known) CNAME www.google.com, whose A comes without its RRSIG.
    Name alias = Name.fromConstantString("alias.example.org.");
    Name www = Name.fromConstantString("www.google.com.");
    RRset cname = new RRset(new CNAMERecord(alias, DClass.IN, 300, www));
    RRset stripped = new RRset(new ARecord(www, DClass.IN, 300, InetAddress.getByName("127.53.0.80")));
    SignedAnswer answer = new SignedAnswer(alias, Type.A, Rcode.NOERROR, List.of(cname, stripped), List.of(), null);

    Validation validation = validator.validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(validation.verdict().security()).as(validation.toString()).isEqualTo(Security.BOGUS);
    assertThat(validation.verdict().edeCode()).isEqualTo(ExtendedErrorCodeOption.RRSIGS_MISSING);
    assertThat(validation.chain()).extracting(ChainLink::zone).map(Name::toString)
        .containsExactly(".", "org.", "example.org.", "com.", "google.com.");
  }

  @Test
  void rejectsExpiredSignaturesWithEde7() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE, new SignatureWindowFault(googleOnly(),
        SignatureWindowFault.Window.EXPIRED, FaultListener.NONE, lab.keyDirectory()));

    assertBogus(broken, "www.google.com.", ExtendedErrorCodeOption.SIGNATURE_EXPIRED, "expired");
    assertOtherZonesStillSecure(broken);
  }

  @Test
  void rejectsSignaturesNotYetValidWithEde8() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE, new SignatureWindowFault(googleOnly(),
        SignatureWindowFault.Window.NOT_YET_VALID, FaultListener.NONE, lab.keyDirectory()));

    assertBogus(broken, "www.google.com.", ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID, "not valid before");
    assertOtherZonesStillSecure(broken);
  }

  @Test
  void rejectsCorruptSignaturesAsBogus() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE,
        new SignatureCorruptFault(googleOnly(), FaultListener.NONE, lab.keyDirectory()));

    assertBogus(broken, "www.google.com.", ExtendedErrorCodeOption.DNSSEC_BOGUS, "does not verify");
    assertOtherZonesStillSecure(broken);
  }

  @Test
  void rejectsStrippedSignaturesInASignedZoneWithEde10() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE,
        new RecordStripFault(googleOnly(), RecordStripFault.What.RRSIG, FaultListener.NONE, lab.keyDirectory()));

    assertBogus(broken, "www.google.com.", ExtendedErrorCodeOption.RRSIGS_MISSING, "google.com.");
    assertOtherZonesStillSecure(broken);
  }

  @Test
  void rejectsADsThatMatchesNoKeyWithEde9() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.TLD,
        new DsMismatchFault(googleOnly(), FaultListener.NONE, lab.keyDirectory()));

    assertBogus(broken, "www.google.com.", ExtendedErrorCodeOption.DNSKEY_MISSING, "matches its DS");
    assertOtherZonesStillSecure(broken);
  }

  @Test
  void rejectsAMissingDnskeySetWithEde9() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE, new RecordStripFault(
        new QueryMatch(List.of(GOOGLE), java.util.Set.of(Type.DNSKEY)), RecordStripFault.What.DNSKEY,
        FaultListener.NONE, lab.keyDirectory()));

    assertBogus(broken, "www.google.com.", ExtendedErrorCodeOption.DNSKEY_MISSING, "no DNSKEY RRset for google.com.");
    assertOtherZonesStillSecure(broken);
  }

  @Test
  void treatsAZoneSignedOnlyWithAnUnsupportedAlgorithmAsInsecure() throws Exception {
    UnsupportedAlgorithmFault fault =
        new UnsupportedAlgorithmFault(googleOnly(), GOOGLE, 1, FaultListener.NONE, lab.keyDirectory());
    SignedLabAuthorities broken = lab.withFault(LabRole.TLD, fault).withFault(LabRole.AUTHORITATIVE, fault);

    Validation validation = validate(broken, "www.google.com.", "A");

    assertThat(validation.verdict().security()).as(validation.toString()).isEqualTo(Security.INSECURE);
    assertThat(validation.verdict().edeCode()).isEqualTo(ExtendedErrorCodeOption.UNSUPPORTED_DNSKEY_ALGORITHM);
    assertThat(validation.verdict().reason()).contains("google.com.", "unsupported algorithms [1]");
  }

  @Test
  void treatsNsec3WithTooManyIterationsAsInsecure() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE, new Nsec3IterationsFault(
        QueryMatch.names(Name.fromConstantString("example.co.kr.")), 500, FaultListener.NONE, lab.keyDirectory()));

    Validation validation = validate(broken, "nosuch.example.co.kr.", "A");

    assertThat(validation.verdict().security()).as(validation.toString()).isEqualTo(Security.INSECURE);
    assertThat(validation.verdict().reason()).contains("500 iterations", "RFC 9276");
    assertThat(validation.work().nsec3Hashes()).isZero();
  }

  @Test
  void rejectsAnNxdomainWhoseNsecCoversNothingWithEde12() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE,
        new NsecNotCoveringFault(googleOnly(), FaultListener.NONE, lab.keyDirectory()));

    assertBogus(broken, "nosuch.google.com.", ExtendedErrorCodeOption.NSEC_MISSING, "nosuch.google.com.");
    assertThat(validate(broken, "www.google.com.", "A").verdict().security()).isEqualTo(Security.SECURE);
  }

  @Test
  void rejectsAWildcardAnswerWithoutItsProofWithEde12() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE, new RecordStripFault(
        QueryMatch.names(Name.fromConstantString("blog.example.co.kr.")), RecordStripFault.What.WILDCARD_PROOF,
        FaultListener.NONE, lab.keyDirectory()));

    assertBogus(broken, "x.blog.example.co.kr.", ExtendedErrorCodeOption.NSEC_MISSING, "wildcard");
    assertThat(validate(broken, "www.example.co.kr.", "A").verdict().security()).isEqualTo(Security.SECURE);
  }

  @Test
  void boundsItsWorkAgainstKeyTrap() throws Exception {
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE,
        new KeyTrapFault(googleOnly(), 32, 32, FaultListener.NONE, lab.keyDirectory()));

    Validation validation = validate(broken, "www.google.com.", "A");

    // The bound is the work counted, not the time a loaded machine took for it.
    assertThat(validation.verdict().security()).as(validation.toString()).isEqualTo(Security.BOGUS);
    assertThat(validation.work().signatureVerifications())
        .isLessThanOrEqualTo(ResolutionLimits.MAX_SIGNATURE_VERIFICATIONS);
    assertOtherZonesStillSecure(broken);
  }

  @Test
  void keepsABogusKeyVerdictOneSecondThenTwo() throws Exception {
    // RFC 9520 3.2: a failure is cached at least a second, and longer when it repeats.
    SignedLabAuthorities broken = lab.withFault(LabRole.AUTHORITATIVE, new RecordStripFault(
        new QueryMatch(List.of(GOOGLE), java.util.Set.of(Type.DNSKEY)), RecordStripFault.What.DNSKEY,
        FaultListener.NONE, lab.keyDirectory()));
    MovableClock clock = new MovableClock();
    Validator validator = new Validator(broken.anchors(), broken, ResolutionLimits.DEFAULT.validation(), clock);
    SignedAnswer answer = broken.ask(Name.fromString("www.google.com."), Type.A).get(10, TimeUnit.SECONDS);
    validator.validate(answer).get(10, TimeUnit.SECONDS);

    Validation cached = validator.validate(answer).get(10, TimeUnit.SECONDS);
    clock.advance(Duration.ofMillis(1100));
    Validation retried = validator.validate(answer).get(10, TimeUnit.SECONDS);
    clock.advance(Duration.ofMillis(1100));
    Validation cachedLonger = validator.validate(answer).get(10, TimeUnit.SECONDS);
    clock.advance(Duration.ofMillis(1000));
    Validation retriedAgain = validator.validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(List.of(cached, retried, cachedLonger, retriedAgain)).allSatisfy(validation -> {
      assertThat(validation.verdict().security()).isEqualTo(Security.BOGUS);
      assertThat(validation.verdict().edeCode()).isEqualTo(ExtendedErrorCodeOption.DNSKEY_MISSING);
    });
    assertThat(cached.work().keyFetches()).isZero();
    // google.com's DS and DNSKEY asked again; the root's and com's keys are still cached.
    assertThat(retried.work().keyFetches()).isEqualTo(2);
    assertThat(cachedLonger.work().keyFetches()).isZero();
    assertThat(retriedAgain.work().keyFetches()).isEqualTo(2);
  }

  @Test
  void expiresValidatedKeysWithTheirTtl() throws Exception {
    MovableClock clock = new MovableClock();
    Validator validator = new Validator(lab.anchors(), lab, ResolutionLimits.DEFAULT.validation(), clock);
    SignedAnswer answer = lab.ask(Name.fromString("www.google.com."), Type.A).get(10, TimeUnit.SECONDS);
    validator.validate(answer).get(10, TimeUnit.SECONDS);

    // google.com's DNSKEY TTL is an hour (ZoneKeys.DNSKEY_TTL); the root's and com's DS outlive it.
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    Validation later = validator.validate(answer).get(10, TimeUnit.SECONDS);

    assertThat(later.verdict().security()).isEqualTo(Security.SECURE);
    assertThat(later.work().keyFetches()).isPositive();
  }

  @Test
  void validatesManyAnswersInParallelFromOneColdValidator() throws Exception {
    Validator validator = validator(lab);
    List<String> names = List.of("www.google.com.", "www.example.co.kr.", "naver.com.", "www.example.org.",
        "mail.google.com.", "shop.example.co.kr.", "www.naver.com.", "nosuch.net.");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.CompletableFuture<Validation>> running = new java.util.ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (String name : names) {
          running.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> name, pool)
              .thenCompose(n -> lab.ask(Name.fromConstantString(n), Type.A))
              .thenComposeAsync(validator::validate, pool));
        }
      }

      for (int i = 0; i < running.size(); i++) {
        String name = names.get(i % names.size());
        Security expected = name.contains("example.org") || name.equals("www.naver.com.")
            ? Security.INSECURE : Security.SECURE;
        assertThat(running.get(i).get(20, TimeUnit.SECONDS).verdict().security()).as(name).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void boundsNsec3HashingForVeryLongNames() throws Exception {
    // CVE-2023-50868: a closest encloser proof for a name of many labels hashes each ancestor.
    String name = "a.".repeat(80) + "nosuch.net.";

    Validation validation = validate(lab, name, "A");

    assertThat(validation.verdict().security()).isEqualTo(Security.BOGUS);
    assertThat(validation.verdict().reason()).contains("CVE-2023-50868");
    assertThat(validation.work().nsec3Hashes()).isEqualTo(ResolutionLimits.MAX_NSEC3_HASHES);
  }

  @Test
  void treatsAnAnchorWithOnlyUnsupportedDigestsAsInsecure() throws Exception {
    // RFC 4035 5.2 and RFC 8624 3.3: GOST (3) is not implemented, so the anchor gives no path.
    DSRecord real = lab.anchors().ds(Name.root).get(0);
    DSRecord gost = new DSRecord(Name.root, DClass.IN, real.getTTL(), real.getFootprint(), real.getAlgorithm(), 3,
        new byte[32]);
    Validator validator = new Validator(TrustAnchors.of(List.of(gost)), lab,
        ResolutionLimits.DEFAULT.validation(), Clock.systemUTC());

    Validation validation = validator.validate(lab.ask(Name.fromString("www.google.com."), Type.A).get())
        .get(10, TimeUnit.SECONDS);

    assertThat(validation.verdict().security()).isEqualTo(Security.INSECURE);
    assertThat(validation.verdict().edeCode()).isEqualTo(ExtendedErrorCodeOption.UNSUPPORTED_DS_DIGEST_TYPE);
    assertThat(validation.work().keyFetches()).isZero();
  }

  @Test
  void treatsNamesBelowNoTrustAnchorAsInsecure() throws Exception {
    DSRecord elsewhere = new DSRecord(Name.fromConstantString("example."), DClass.IN, 3600, 1, 13, 2, new byte[32]);
    Validator validator = new Validator(TrustAnchors.of(List.of(elsewhere)), lab,
        ResolutionLimits.DEFAULT.validation(), Clock.systemUTC());

    Validation validation = validator.validate(lab.ask(Name.fromString("www.google.com."), Type.A).get())
        .get(10, TimeUnit.SECONDS);

    assertThat(validation.verdict().security()).isEqualTo(Security.INSECURE);
    assertThat(validation.verdict().reason()).contains("no trust anchor");
  }

  @Test
  void stopsAChainDeeperThanTheLimit() throws Exception {
    ValidationLimits shallow = new ValidationLimits(ResolutionLimits.MAX_KEYS_PER_TAG,
        ResolutionLimits.MAX_SIGNATURE_VERIFICATIONS, ResolutionLimits.MAX_NSEC3_HASHES,
        ResolutionLimits.MAX_NSEC3_ITERATIONS, 2, ResolutionLimits.MAX_KEY_FETCHES,
        ResolutionLimits.KEY_FETCH_TIMEOUT, ResolutionLimits.MAX_KEY_TTL, ResolutionLimits.BOGUS_KEY_TTL,
        ResolutionLimits.MAX_BOGUS_KEY_TTL, ResolutionLimits.KEY_CACHE_SIZE);
    Validator validator = new Validator(lab.anchors(), lab, shallow, Clock.systemUTC());

    Validation validation = validator.validate(lab.ask(Name.fromString("www.example.co.kr."), Type.A).get())
        .get(10, TimeUnit.SECONDS);

    assertThat(validation.verdict().security()).isEqualTo(Security.BOGUS);
    assertThat(validation.verdict().reason()).contains("deeper than 2 zones");
  }

  private static QueryMatch googleOnly() {
    return QueryMatch.names(GOOGLE);
  }

  private static void assertBogus(SignedLabAuthorities source, String name, int edeCode, String reason)
      throws Exception {
    Validation validation = validate(source, name, "A");

    assertThat(validation.verdict().security()).as(validation.toString()).isEqualTo(Security.BOGUS);
    assertThat(validation.verdict().edeCode()).as(validation.verdict().reason()).isEqualTo(edeCode);
    assertThat(validation.verdict().reason()).contains(reason).contains("zone ");
  }

  private static void assertOtherZonesStillSecure(SignedLabAuthorities source) throws Exception {
    assertThat(validate(source, "www.example.co.kr.", "A").verdict().security()).isEqualTo(Security.SECURE);
  }

  static Validation validate(SignedLabAuthorities source, String name, String type) throws Exception {
    SignedAnswer answer = source.ask(Name.fromString(name), Type.value(type)).get(10, TimeUnit.SECONDS);
    return validator(source).validate(answer).get(10, TimeUnit.SECONDS);
  }

  static Validator validator(SignedLabAuthorities source) {
    return new Validator(source.anchors(), source, ResolutionLimits.DEFAULT.validation(), Clock.systemUTC());
  }
}
