package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AuthorityFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNAME (RFC 6672) answered by the lab's authoritative server over real UDP, from the lab's own
 * zones: nhn.com (a DNAME at the apex to naver.com) and legacy.example.co.kr (a DNAME to
 * blog.example.co.kr, whose wildcard answers).
 */
class DnameAnswersTest {
  @TempDir static Path keyDir;
  static AuthorityFixture authoritative;
  static AuthorityFixture signed;

  @BeforeAll
  static void start() throws Exception {
    authoritative = AuthorityFixture.start("authoritative-ns", List.of(AuthorityFixture.labZones("authoritative")));
    signed = SignedLabServers.start(keyDir, "root", "tld", "authoritative");
  }

  @AfterAll
  static void stop() {
    authoritative.close();
    signed.close();
  }

  @Test
  void synthesisesTheCnameBelowTheDnameWithTheDnamesTtl() throws Exception {
    Message response = authoritative.query("www.nhn.com.");

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    // RFC 6672 3.1: the DNAME, then the CNAME synthesised from it (the DNAME's TTL), then the
    // chain on from www.naver.com as far as this server's zones reach.
    assertThat(lines(response, Section.ANSWER)).containsExactly(
        "nhn.com. 3600 IN DNAME naver.com.",
        "www.nhn.com. 3600 IN CNAME www.naver.com.",
        "www.naver.com. 300 IN CNAME www.naver.com.nheos.com.",
        "www.naver.com.nheos.com. 60 IN A 127.53.0.80");
  }

  @Test
  void answersTheDnameOwnerFromItsOwnData() throws Exception {
    assertThat(lines(authoritative.query("nhn.com.", Type.DNAME), Section.ANSWER))
        .containsExactly("nhn.com. 3600 IN DNAME naver.com.");
    Message soa = authoritative.query("nhn.com.", Type.SOA);
    assertThat(soa.getSection(Section.ANSWER)).singleElement().satisfies(r -> assertThat(r.getType()).isEqualTo(Type.SOA));
    // RFC 6672 2.3: the owner is not redirected, so a type it lacks is NODATA, not a CNAME.
    Message noData = authoritative.query("nhn.com.", Type.A);
    assertThat(noData.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(noData.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void answersNxdomainForTheTargetAfterTheSynthesisedCname() throws Exception {
    Message response = authoritative.query("nosuch.nhn.com.");

    // RFC 6604 3: the rcode describes the last name of the chain, nosuch.naver.com.
    assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(lines(response, Section.ANSWER)).containsExactly(
        "nhn.com. 3600 IN DNAME naver.com.",
        "nosuch.nhn.com. 3600 IN CNAME nosuch.naver.com.");
    assertThat(response.getSection(Section.AUTHORITY)).singleElement()
        .satisfies(r -> assertThat(r.getName().toString()).isEqualTo("naver.com."));
  }

  @Test
  void followsADnameIntoAWildcard() throws Exception {
    Message response = authoritative.query("x.legacy.example.co.kr.");

    assertThat(lines(response, Section.ANSWER)).containsExactly(
        "legacy.example.co.kr. 300 IN DNAME blog.example.co.kr.",
        "x.legacy.example.co.kr. 300 IN CNAME x.blog.example.co.kr.",
        "x.blog.example.co.kr. 300 IN A 127.53.0.80");
  }

  @Test
  void answersYxdomainWhenTheSubstitutedNameIsTooLong() throws Exception {
    // A 255-octet name (the most a name may have) under nhn.com: under naver.com, two octets
    // longer, it would be 257.
    String label63 = "a".repeat(63);
    String qname = "b".repeat(53) + "." + label63 + "." + label63 + "." + label63 + ".nhn.com.";
    Message response = authoritative.query(qname);

    // RFC 6672 2.2: YXDOMAIN, with the DNAME and no CNAME.
    assertThat(Rcode.string(response.getRcode())).isEqualTo("YXDOMAIN");
    assertThat(lines(response, Section.ANSWER)).containsExactly("nhn.com. 3600 IN DNAME naver.com.");
  }

  @Test
  void signsTheDnameButNotTheSynthesisedCname() throws Exception {
    Message response = SignedLabServers.queryWithDo(signed, "nosuch.nhn.com.", Type.A);

    List<Record> answer = response.getSection(Section.ANSWER);
    assertThat(answer).extracting(Record::getType).containsExactly(Type.DNAME, Type.RRSIG, Type.CNAME);
    assertThat(((RRSIGRecord) answer.get(1)).getTypeCovered()).isEqualTo(Type.DNAME);
    // RFC 6672 5.3.1: no RRSIG covers the CNAME; a validator checks it against the signed DNAME.
    assertThat(response.getSection(Section.AUTHORITY)).extracting(Record::getType).contains(Type.SOA, Type.NSEC);
  }

  private static List<String> lines(Message response, int section) {
    return response.getSection(section).stream().map(r -> r.toString().replaceAll("\\s+", " ")).toList();
  }
}
