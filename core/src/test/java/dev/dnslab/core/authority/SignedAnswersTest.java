package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.dnssec.Denial;
import dev.dnslab.core.testing.AuthorityFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers with DO from separate root, TLD and authoritative servers sharing one key folder, as the
 * lab runs them (RFC 4035 3.1), over real UDP; signatures are checked with dnsjava's DNSSEC.verify.
 */
class SignedAnswersTest {
  @TempDir static Path keyDir;
  static AuthorityFixture root;
  static AuthorityFixture tld;

  @BeforeAll
  static void startServers() throws Exception {
    root = SignedLabServers.start(keyDir, "root");
    tld = SignedLabServers.start(keyDir, "tld");
  }

  @AfterAll
  static void stopServers() {
    root.close();
    tld.close();
  }

  @Test
  void refersToComWithItsSignedDs() throws Exception {
    Message response = SignedLabServers.queryWithDo(root, "www.google.com.", Type.A);

    assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(types(response, Section.AUTHORITY)).containsExactly(Type.NS, Type.DS, Type.RRSIG);
    verifyAll(response, Section.AUTHORITY, ".");
    assertThat(response.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
  }

  @Test
  void sendsNoDnssecRecordsWithoutDo() throws Exception {
    Message referral = root.query("www.google.com.", Type.A);
    Message dnskey = root.query(".", Type.DNSKEY);

    assertThat(types(referral, Section.AUTHORITY)).containsOnly(Type.NS);
    assertThat(types(dnskey, Section.ANSWER)).containsOnly(Type.DNSKEY).hasSize(2);
    assertThat(referral.getOPT().getFlags() & ExtendedFlags.DO).isZero();
  }

  @Test
  void answersTheApexDnskeySignedByItsKeySigningKey() throws Exception {
    Message response = SignedLabServers.queryWithDo(root, ".", Type.DNSKEY);

    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(types(response, Section.ANSWER)).containsExactly(Type.DNSKEY, Type.DNSKEY, Type.RRSIG);
    verifyAll(response, Section.ANSWER, ".");
  }

  @Test
  void provesNxdomainWithNsecAndSignedSoa() throws Exception {
    Message response = SignedLabServers.queryWithDo(root, "no-such-tld.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(types(response, Section.AUTHORITY)).contains(Type.SOA, Type.NSEC).contains(Type.RRSIG);
    NSECRecord covering = (NSECRecord) records(response, Section.AUTHORITY, Type.NSEC).get(0);
    assertThat(Name.fromString("no-such-tld.").compareTo(covering.getName())).isPositive();
    verifyAll(response, Section.AUTHORITY, ".");
  }

  @Test
  void answersDsForCoKrFromTheParentKr() throws Exception {
    Message response = SignedLabServers.queryWithDo(tld, "co.kr.", Type.DS);

    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(types(response, Section.ANSWER)).containsExactly(Type.DS, Type.RRSIG);
    RRSIGRecord signature = (RRSIGRecord) records(response, Section.ANSWER, Type.RRSIG).get(0);
    assertThat(signature.getSigner()).isEqualTo(Name.fromString("kr."));
    verifyAll(response, Section.ANSWER, "kr.");
  }

  @Test
  void refersToAnUnsignedChildOfOrgWithTheNsecThatLacksDs() throws Exception {
    Message response = SignedLabServers.queryWithDo(tld, "www.example.org.", Type.A);

    NSECRecord nsec = (NSECRecord) records(response, Section.AUTHORITY, Type.NSEC).get(0);
    assertThat(nsec.getName()).isEqualTo(Name.fromString("example.org."));
    assertThat(nsec.hasType(Type.NS)).isTrue();
    assertThat(nsec.hasType(Type.DS)).isFalse();
    assertThat(records(response, Section.AUTHORITY, Type.DS)).isEmpty();
    verifyAll(response, Section.AUTHORITY, "org.");
  }

  @Test
  void refersToAnOptedOutChildOfComWithTheClosestProvableEncloserProof() throws Exception {
    Message response = SignedLabServers.queryWithDo(tld, "www.nheos.com.", Type.A);

    List<Record> nsec3 = records(response, Section.AUTHORITY, Type.NSEC3);
    assertThat(nsec3).hasSize(2); // RFC 5155 7.2.7: matches com, covers nheos.com
    assertThat(nsec3).allMatch(r -> (((NSEC3Record) r).getFlags() & Denial.Nsec3.OPT_OUT_FLAG) != 0);
    assertThat(records(response, Section.AUTHORITY, Type.DS)).isEmpty();
    verifyAll(response, Section.AUTHORITY, "com.");
  }

  @Test
  void truncatesWholeSignedRrsetsAndSetsTc() throws Exception {
    // The root's two RSA keys and their RRSIG do not fit 512 bytes: rather than a key without its
    // signature, the client gets TC and retries over TCP (RFC 4035 3.1, RFC 2181 9).
    org.xbill.DNS.SimpleResolver small = root.udp();
    small.setEDNS(0, 512, ExtendedFlags.DO, List.of());
    Message response = small.send(Message.newQuery(Record.newRecord(Name.root, Type.DNSKEY, org.xbill.DNS.DClass.IN)));

    assertThat(response.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(types(response, Section.ANSWER)).isEmpty();
    Message overTcp = SignedLabServers.queryWithDo(root, ".", Type.DNSKEY);
    assertThat(types(overTcp, Section.ANSWER)).contains(Type.RRSIG);
  }

  @Test
  void transfersTheNsec3ChainButAnswersItsOwnerNamesAsNonexistent() throws Exception {
    Message transfer = tld.tcp().send(Message.newQuery(Record.newRecord(Name.fromString("com."), Type.AXFR, org.xbill.DNS.DClass.IN)));
    List<Record> nsec3 = records(transfer, Section.ANSWER, Type.NSEC3);

    assertThat(nsec3).isNotEmpty();
    assertThat(types(transfer, Section.ANSWER)).contains(Type.DNSKEY, Type.RRSIG, Type.NSEC3PARAM, Type.DS);
    // RFC 5155 7.2.8: a hashed owner name is not a name of the zone.
    Message asked = SignedLabServers.queryWithDo(tld, nsec3.get(0).getName().toString(), Type.NSEC3);
    assertThat(asked.getRcode()).isEqualTo(Rcode.NXDOMAIN);
  }

  static List<Integer> types(Message response, int section) {
    return response.getSection(section).stream().map(Record::getType).toList();
  }

  static List<Record> records(Message response, int section, int type) {
    return response.getSection(section).stream().filter(r -> r.getType() == type).toList();
  }

  /** Every RRSIG in the section verifies over its RRset with the signer's key from the key folder. */
  static void verifyAll(Message response, int section, String signer) throws Exception {
    SignedLabServers.verifyAll(keyDir, response, section, signer);
  }
}
