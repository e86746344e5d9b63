package dev.dnslab.cli.visit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dnslab.cli.visit.VisitReport.CacheCheck;
import dev.dnslab.cli.visit.VisitReport.CacheName;
import dev.dnslab.cli.visit.VisitReport.Lookup;
import dev.dnslab.cli.visit.VisitReport.Walk;
import dev.dnslab.core.admin.AdminResponse;
import dev.dnslab.recursor.dnssec.LabChainOfTrust;
import dev.dnslab.recursor.dnssec.Validation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * {@code dnslab visit} draws the chain of trust of the recursor's {@code /trace}: a lock on each
 * step, each zone's DS, keys and signatures, and where a broken chain breaks. The chains are the
 * real signed lab's ({@link LabChainOfTrust}), sent through the /trace JSON as the recursor writes it.
 */
class VisitChainOfTrustTest {
  @TempDir static Path keyDir;
  static LabChainOfTrust lab;
  /** dnssec-ds-mismatch: com publishes a DS for a key google.com does not have. */
  static LabChainOfTrust rolled;

  @BeforeAll
  static void signTheLab() throws Exception {
    LabChainOfTrust.Signed signed = LabChainOfTrust.Signed.in(keyDir);
    lab = signed.secure();
    rolled = signed.dsMismatch();
  }

  @Test
  void drawsALockOnEveryStepOfASecureWalk() throws Exception {
    String text = print(report("www.google.com", lab.validate("www.google.com.", Type.A)), "en", LockGlyphs.UNICODE);

    assertThat(text).contains("[STEP 3-4] \uD83D\uDD12 root name server a.root-servers.net.",
        "[STEP 5-6] \uD83D\uDD12 TLD name server a.gtld-servers.net.",
        "[STEP 7-8] \uD83D\uDD12 authoritative name server ns1.google.com.");
    assertThat(text).contains("The chain of trust (DNSSEC), from the root's trust anchor down: \uD83D\uDD12 secure\n");
    int rootKsk = lab.zone(".").keys().keySigningKeys().get(0).tag();
    assertThat(text).contains("DS from the trust anchor: " + rootKsk + " 8 2",
        "DNSKEY: " + rootKsk + " KSK RSASHA256 (matches the DS)", ". DNSKEY by key " + rootKsk + " \uD83D\uDD12",
        "www.google.com. A by key " + lab.zone("google.com.").keys().keys().get(0).tag());
    assertThat(text).doesNotContain("breaks");
  }

  @Test
  void showsWhereTheChainBreaksForANameInABrokenScenario() throws Exception {
    String text = print(report("www.google.com", rolled.validate("www.google.com.", Type.A)), "en", LockGlyphs.UNICODE);

    assertThat(text).contains("[STEP 3-4] \uD83D\uDD12", "[STEP 5-6] \uD83D\uDD12", "[STEP 7-8] \u274C authoritative");
    assertThat(text).contains("\u274C BOGUS, EDE 9 DNSKEY_MISSING");
    assertThat(text).contains("\u274C The chain of trust breaks at google.com.: no DNSKEY of google.com. matches the DS from com.");
    assertThat(text).contains("No IP address for www.google.com");
  }

  @Test
  void drawsAnOpenLockForTheUnsignedZone() throws Exception {
    String text = print(report("www.example.org", lab.validate("www.example.org.", Type.A)), "en", LockGlyphs.UNICODE);

    assertThat(text).contains("[STEP 7-8] \uD83D\uDD13 authoritative", "\uD83D\uDD13 example.org.  insecure (unsigned)");
  }

  @Test
  void writesReadableAsciiForATerminalWithoutTheGlyphs() throws Exception {
    String text = print(report("www.google.com", rolled.validate("www.google.com.", Type.A)), "en", LockGlyphs.ASCII);

    assertThat(text).contains("[STEP 3-4] [secure] root name server", "[STEP 7-8] [BOGUS] authoritative",
        "[BOGUS] The chain of trust breaks at google.com.");
    assertThat(StandardCharsets.US_ASCII.newEncoder().canEncode(text)).as(text).isTrue();
    assertThat(LockGlyphs.forConsole(StandardCharsets.US_ASCII)).isEqualTo(LockGlyphs.ASCII);
    assertThat(LockGlyphs.forConsole(StandardCharsets.UTF_8)).isEqualTo(LockGlyphs.UNICODE);
    assertThat(LockGlyphs.forConsole(null)).as("a pipe gets UTF-8").isEqualTo(LockGlyphs.UNICODE);
  }

  @Test
  void saysWhereTheChainBreaksInKorean() throws Exception {
    String text = print(report("www.google.com", rolled.validate("www.google.com.", Type.A)), "ko", LockGlyphs.UNICODE);

    assertThat(text).contains("신뢰 체인 (DNSSEC)", "검증 실패 (bogus)", "신뢰 체인이 google.com.에서 끊어진다");
  }

  @Test
  void drawsNoLocksWhenTheRecursorDidNotValidate() throws Exception {
    Walk walk = Visit.walk(AdminResponse.mapper().valueToTree(ColdWalkTrace.of("www.google.com")));

    assertThat(walk.dnssec()).isNull();
    assertThat(walk.steps()).extracting(VisitReport.WalkStep::dnssec).containsOnlyNulls();
    assertThat(VisitPrinter.print(reportOf("www.google.com", walk), "en", "lo"))
        .contains("[STEP 3-4] root name server").doesNotContain("chain of trust");
  }

  @Test
  void putsTheLockOfEachStepInTheJsonDocument() throws Exception {
    Walk walk = walk("www.google.com", rolled.validate("www.google.com.", Type.A));
    JsonNode json = AdminResponse.mapper().valueToTree(walk);

    assertThat(json.get("steps").findValuesAsText("dnssec")).containsExactly("SECURE", "SECURE", "BOGUS");
    assertThat(json.get("dnssec").get("brokenAt").asText()).isEqualTo("google.com.");
  }

  private static String print(VisitReport report, String lang, LockGlyphs locks) {
    return VisitPrinter.print(report, lang, "lo", locks);
  }

  private static VisitReport report(String host, Validation validation) {
    return reportOf(host, walk(host, validation));
  }

  private static VisitReport reportOf(String host, Walk walk) {
    boolean bogus = walk.dnssec() != null && walk.dnssec().brokenAt() != null;
    List<CacheCheck> caches = List.of(new CacheCheck(CacheName.browser, "miss", null, null, "this process"),
        new CacheCheck(CacheName.os, "miss", null, null, "this process"),
        new CacheCheck(CacheName.router, "miss", null, null, "127.53.0.254:9153"),
        new CacheCheck(CacheName.isp, "miss", null, null, "127.53.0.53:9153"));
    Lookup lookup = bogus
        ? new Lookup("walk", List.of(), null, List.of(";; SERVFAIL: no address for " + host), walk)
        : new Lookup("walk", List.of("127.53.0.80"), 300L, List.of(host + ". 300 IN A 127.53.0.80"), walk);
    return new VisitReport("http://" + host + "/", host, caches, lookup, null, null, null, null);
  }

  /** The walk visit reads from the recursor's /trace JSON, with the lab's chain of trust for its answer. */
  private static Walk walk(String host, Validation validation) {
    return Visit.walk(AdminResponse.mapper().valueToTree(ColdWalkTrace.of(host).withDnssec(validation)));
  }
}
