package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.zone.ZoneFileLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneSignerTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir static Path keyDir;
  static SignedLab lab;

  @BeforeAll
  static void signTheLab() throws Exception {
    lab = SignedLab.sign(keyDir, NOW);
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  private static List<Integer> signerTags(RRset set) {
    return set.sigs().stream().map(RRSIGRecord::getFootprint).collect(Collectors.toList());
  }

  private static int tag(SignedZone zone, KeyRole role) {
    return zone.keys().keys().stream().filter(k -> k.role() == role).findFirst().orElseThrow().tag();
  }

  @Test
  void publishesTheKeysAtTheApexSignedByTheKeySigningKey() {
    SignedZone com = lab.zone("com.");

    RRset dnskeys = com.rrset(name("com."), Type.DNSKEY);

    assertThat(dnskeys.rrs()).hasSize(2);
    assertThat(signerTags(dnskeys)).containsExactly(tag(com, KeyRole.KSK));
    assertThat(signerTags(com.rrset(name("com."), Type.SOA))).containsExactly(tag(com, KeyRole.ZSK));
  }

  @Test
  void signsEverythingWithTheOneKeyOfACombinedSigningKeyZone() {
    SignedZone google = lab.zone("google.com.");

    assertThat(google.rrset(name("google.com."), Type.DNSKEY).rrs()).hasSize(1);
    assertThat(signerTags(google.rrset(name("google.com."), Type.DNSKEY))).containsExactly(tag(google, KeyRole.CSK));
    assertThat(signerTags(google.rrset(name("www.google.com."), Type.A))).containsExactly(tag(google, KeyRole.CSK));
  }

  @Test
  void leavesTheDelegationNsAndGlueUnsignedButSignsTheDs() {
    SignedZone com = lab.zone("com.");

    assertThat(com.rrset(name("google.com."), Type.NS).sigs()).isEmpty(); // RFC 4035 2.2
    assertThat(com.rrset(name("ns1.google.com."), Type.A).sigs()).isEmpty();
    RRset ds = com.rrset(name("google.com."), Type.DS);
    assertThat(signerTags(ds)).containsExactly(tag(com, KeyRole.ZSK));
    assertThat(ds.rrs()).containsExactlyElementsOf(lab.zone("google.com.").keys().ds(ds.getTTL()));
  }

  @Test
  void publishesNoDsForAZoneThePolicyLeavesUnsigned() {
    assertThat(lab.zone("com.").rrset(name("nheos.com."), Type.DS)).isNull();
    assertThat(lab.zone("org.").rrset(name("example.org."), Type.DS)).isNull();
  }

  @Test
  void linksNsecInCanonicalOrderAndClosesTheRingAtTheApex() {
    List<Record> chain = lab.zone(".").chain().records();

    assertThat(chain).extracting(Record::getName)
        .containsExactly(name("."), name("com."), name("kr."), name("net."), name("org."));
    assertThat(chain).extracting(r -> ((NSECRecord) r).getNext())
        .containsExactly(name("com."), name("kr."), name("net."), name("org."), name("."));
    NSECRecord com = (NSECRecord) chain.get(1);
    assertThat(com.getTypes()).containsExactly(Type.NS, Type.DS, Type.RRSIG, Type.NSEC);
    assertThat(com.getTTL()).isEqualTo(86400); // RFC 9077: min(SOA TTL, MINIMUM)
  }

  @Test
  void provesAnInsecureDelegationWithAnNsecWithoutDs() {
    NSECRecord nsec = (NSECRecord) lab.zone("org.").chain().matching(name("example.org."));

    assertThat(nsec.getTypes()).containsExactly(Type.NS, Type.RRSIG, Type.NSEC);
    assertThat(lab.zone("org.").rrset(name("example.org."), Type.NSEC).sigs()).hasSize(1);
  }

  @Test
  void listsTheDnameInTheDenialRecordsOfItsOwner() {
    NSECRecord apex = (NSECRecord) lab.zone("nhn.com.").chain().matching(name("nhn.com."));
    NSEC3Record legacy = (NSEC3Record) lab.zone("example.co.kr.").chain().matching(name("legacy.example.co.kr."));

    // RFC 6672 5.3.2: the DNAME is in the type bitmap, so a validator knows the owner redirects.
    assertThat(apex.getTypes()).contains(Type.DNAME, Type.SOA, Type.NS);
    assertThat(legacy.getTypes()).containsExactlyInAnyOrder(Type.DNAME, Type.RRSIG);
    assertThat(lab.zone("nhn.com.").rrset(name("nhn.com."), Type.DNAME).sigs()).hasSize(1);
  }

  @Test
  void hashesEmptyNonTerminalsAndWildcardsIntoTheNsec3Chain() {
    SignedZone zone = lab.zone("example.co.kr.");
    DenialChain chain = zone.chain();

    NSEC3Record emptyNonTerminal = (NSEC3Record) chain.matching(name("blog.example.co.kr."));
    NSEC3Record wildcard = (NSEC3Record) chain.matching(name("*.blog.example.co.kr."));

    assertThat(emptyNonTerminal.getTypes()).isEmpty(); // RFC 5155 7.1
    assertThat(wildcard.getTypes()).containsExactly(Type.A, Type.AAAA, Type.RRSIG);
    assertThat(chain.covering(name("nosuch.example.co.kr."))).isNotNull();
    // apex, ns, www, shop, blog, *.blog and legacy (the DNAME owner)
    assertThat(chain.records()).hasSize(7).allSatisfy(r -> {
      NSEC3Record nsec3 = (NSEC3Record) r;
      assertThat(nsec3.getIterations()).isZero(); // RFC 9276 3.1
      assertThat(nsec3.getSalt()).isNull();
      assertThat(nsec3.getFlags()).isZero();
    });
    NSEC3PARAMRecord parameters = (NSEC3PARAMRecord) zone.rrset(name("example.co.kr."), Type.NSEC3PARAM).first();
    assertThat(parameters.rdataToString()).isEqualTo("1 0 0 -");
    // RFC 4034 3.1.3: the labels field does not count the wildcard's "*".
    assertThat(zone.rrset(name("*.blog.example.co.kr."), Type.A).sigs().get(0).getLabels()).isEqualTo(4);
  }

  @Test
  void optsTheUnsignedDelegationOutOfTheNsec3Chain() {
    DenialChain chain = lab.zone("com.").chain();

    NSEC3Record covering = (NSEC3Record) chain.covering(name("nheos.com."));

    assertThat(chain.matching(name("nheos.com."))).isNull();
    assertThat(covering.getFlags() & Denial.Nsec3.OPT_OUT_FLAG).isEqualTo(1); // RFC 5155 3.1.2.1
    assertThat(((NSEC3Record) chain.matching(name("google.com."))).getTypes())
        .containsExactly(Type.NS, Type.DS, Type.RRSIG);
  }

  @Test
  void signsForTheWindowAndTellsWhenToSignAgain() throws Exception {
    SignedZone com = lab.zone("com.");
    RRSIGRecord soaSignature = com.rrset(name("com."), Type.SOA).sigs().get(0);

    assertThat(soaSignature.getTimeSigned()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(soaSignature.getExpire()).isEqualTo(NOW.plus(Duration.ofDays(14)));
    assertThat(com.renewal()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    assertThat(com.needsRenewal(NOW.plus(Duration.ofDays(6)))).isFalse();
    assertThat(com.needsRenewal(NOW.plus(Duration.ofDays(7)))).isTrue();
  }

  @Test
  void renewsEarlierWhenATtlOutlastsTheRenewalMargin() throws Exception {
    ZoneSigner signer = new ZoneSigner(lab.keys, lab.signer.policy(),
        new SignatureWindow(Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(1)));

    SignedZone root = signer.sign(new ZoneFileLoader().load(AuthorityFixture.LAB_ZONES.resolve("root/root.zone")), NOW);

    // The root NS RRset's 6-day TTL: a copy cached just before renewal must expire before its signature.
    assertThat(root.renewal()).isEqualTo(NOW.plus(Duration.ofDays(14)).minus(Duration.ofDays(6)));
  }

  @Test
  void signsTheRootWithNsec3WhenThePolicySaysSo() throws Exception {
    ZoneSigning.Signed nsec3 = new ZoneSigning.Signed(DnssecAlgorithm.ED25519, KeyStyle.CSK, new Denial.Nsec3(false));
    DnssecPolicy policy = new DnssecPolicy(DnssecPolicy.BUILT_IN_DEFAULTS, Map.of(Name.root, nsec3));
    ZoneSigner signer = new ZoneSigner(new KeyDirectory(keyDir.resolve("nsec3-root")), policy, SignatureWindow.DEFAULT);

    SignedZone root = signer.sign(new ZoneFileLoader().load(AuthorityFixture.LAB_ZONES.resolve("root/root.zone")), NOW);

    assertThat(root.chain().records()).hasSize(5); // the apex and four TLD delegations, all signed
    assertThat(((NSEC3Record) root.chain().matching(Name.root)).getTypes())
        .contains(Type.SOA, Type.DNSKEY, Type.NSEC3PARAM, Type.RRSIG);
  }

  @Test
  void refusesAZoneThePolicyLeavesUnsigned() {
    assertThatThrownBy(() -> lab.signer.sign(lab.unsigned.get(name("nheos.com.")), NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zone nheos.com. is unsigned by policy");
  }

  @Test
  void keepsTheSourceZoneAsItWas() {
    SignedZone com = lab.zone("com.");

    assertThat(com.source().records()).noneMatch(r -> r.getType() == Type.RRSIG || r.getType() == Type.DS);
    assertThat(com.records()).filteredOn(r -> r.getType() == Type.DS).extracting(r -> ((DSRecord) r).getDigestID())
        .containsOnly(DSRecord.Digest.SHA256);
  }
}
