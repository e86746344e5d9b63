package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.testing.AuthorityFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * RFC 4035 3.1.4.1: a DS query for a zone apex, over real UDP with DO, to a server that holds the
 * child, the parent, or both. The parent answers (DS RRset signed by the parent); a server with the
 * child but not the parent answers authoritatively "no data" from the child, with the child's
 * signed SOA and its proof that the apex has no DS (example B.8).
 */
class DsQueryTest {
  @TempDir Path keyDir;

  @Test
  void childOnlyServerAnswersAuthoritativeNoDataWithItsNsecProof() throws Exception {
    try (AuthorityFixture child = SignedLabServers.start(keyDir, "authoritative")) {
      Message response = SignedLabServers.queryWithDo(child, "google.com.", Type.DS);

      assertNoDataFromChild(response, "google.com.");
      NSECRecord nsec = (NSECRecord) SignedAnswersTest.records(response, Section.AUTHORITY, Type.NSEC).get(0);
      assertThat(nsec.getName()).isEqualTo(Name.fromString("google.com."));
      assertThat(nsec.hasType(Type.DS)).isFalse();
    }
  }

  @Test
  void childOnlyServerAnswersAuthoritativeNoDataWithItsNsec3Proof() throws Exception {
    try (AuthorityFixture child = SignedLabServers.start(keyDir, "authoritative")) {
      Message response = SignedLabServers.queryWithDo(child, "example.co.kr.", Type.DS);

      assertNoDataFromChild(response, "example.co.kr.");
      NSEC3Record nsec3 = (NSEC3Record) SignedAnswersTest.records(response, Section.AUTHORITY, Type.NSEC3).get(0);
      assertThat(nsec3.hasType(Type.DS)).isFalse();
      assertThat(nsec3.hasType(Type.SOA)).as("the NSEC3 matching the apex").isTrue();
    }
  }

  @Test
  void serverWithParentAndChildAnswersFromTheParent() throws Exception {
    try (AuthorityFixture both = SignedLabServers.start(keyDir, "tld", "authoritative")) {
      Message response = SignedLabServers.queryWithDo(both, "google.com.", Type.DS);

      assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(SignedAnswersTest.types(response, Section.ANSWER)).containsExactly(Type.DS, Type.RRSIG);
      assertThat(((RRSIGRecord) SignedAnswersTest.records(response, Section.ANSWER, Type.RRSIG).get(0)).getSigner())
          .isEqualTo(Name.fromString("com."));
      SignedLabServers.verifyAll(keyDir, response, Section.ANSWER, "com.");
    }
  }

  @Test
  void serverWithAGrandparentButNotTheParentAnswersFromTheChild(@TempDir Path zones) throws Exception {
    // kr and example.co.kr, but not co.kr: kr would only refer to co.kr, yet this server is
    // authoritative for example.co.kr and must not send the resolver away from it.
    Files.copy(AuthorityFixture.labZones("tld").resolve("kr.zone"), zones.resolve("kr.zone"));
    Files.copy(AuthorityFixture.labZones("authoritative").resolve("example.co.kr.zone"), zones.resolve("example.co.kr.zone"));
    DnssecSigning signing = SignedLabServers.signing(keyDir, Clock.systemUTC(), SignatureWindow.DEFAULT);
    try (AuthorityFixture server = AuthorityFixture.start(
        AuthorityFixture.config("authoritative-ns", List.of(zones)).toBuilder().dnssec(signing).build())) {
      Message response = SignedLabServers.queryWithDo(server, "example.co.kr.", Type.DS);

      assertNoDataFromChild(response, "example.co.kr.");
    }
  }

  /** RFC 4035 B.8: NOERROR, AA, no answer, the child's SOA and denial, all signed by the child. */
  private void assertNoDataFromChild(Message response, String child) throws Exception {
    assertThat(response.getRcode()).as(response.toString()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getHeader().getFlag(Flags.AA)).as(response.toString()).isTrue();
    assertThat(response.getSection(Section.ANSWER)).as(response.toString()).isEmpty();
    assertThat(SignedAnswersTest.records(response, Section.AUTHORITY, Type.SOA)).as(response.toString())
        .singleElement().extracting(Record::getName).isEqualTo(Name.fromString(child));
    assertThat(SignedAnswersTest.types(response, Section.AUTHORITY)).as(response.toString()).contains(Type.RRSIG)
        .containsAnyOf(Type.NSEC, Type.NSEC3).doesNotContain(Type.NS, Type.DS);
    SignedLabServers.verifyAll(keyDir, response, Section.AUTHORITY, child);
  }
}
