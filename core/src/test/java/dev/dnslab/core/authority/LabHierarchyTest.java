package dev.dnslab.core.authority;

import static dev.dnslab.core.testing.AuthorityFixture.labZones;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AuthorityFixture;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The lab's three authority roles answering real UDP queries from the lab's own zone files. */
class LabHierarchyTest {
  private static AuthorityFixture root;
  private static AuthorityFixture tld;
  private static AuthorityFixture authoritative;

  @BeforeAll
  static void start() throws Exception {
    root = AuthorityFixture.start("root-ns", List.of(labZones("root")));
    tld = AuthorityFixture.start("tld-ns", List.of(labZones("tld")));
    authoritative = AuthorityFixture.start("authoritative-ns", List.of(labZones("authoritative")));
  }

  @AfterAll
  static void stop() {
    root.close();
    tld.close();
    authoritative.close();
  }

  @Test
  void rootRefersComWithGlue() throws Exception {
    Message response = root.query("www.google.com.");
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(response.getSection(Section.ANSWER)).isEmpty();
    assertThat(response.getSection(Section.AUTHORITY))
        .singleElement()
        .satisfies(ns -> {
          assertThat(ns.getName()).isEqualTo(Name.fromString("com."));
          assertThat(((NSRecord) ns).getTarget()).isEqualTo(Name.fromString("a.gtld-servers.net."));
        });
    assertThat(addresses(response, Section.ADDITIONAL)).containsExactly("127.53.0.12");
  }

  @Test
  void tldRefersGoogleComToItsAuthoritativeServer() throws Exception {
    Message response = tld.query("www.google.com.");
    assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(((NSRecord) response.getSection(Section.AUTHORITY).get(0)).getTarget())
        .isEqualTo(Name.fromString("ns1.google.com."));
    assertThat(addresses(response, Section.ADDITIONAL)).containsExactly("127.53.0.13");
  }

  @Test
  void authoritativeAnswersWwwGoogleComWithAa() throws Exception {
    Message response = authoritative.query("www.google.com.");
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(addresses(response, Section.ANSWER)).containsExactly("127.53.0.80");
    assertThat(response.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(300);
  }

  @Test
  void rootRefersKrAndKrServerRefersExampleCoKrFromCoKrZone() throws Exception {
    Message fromRoot = root.query("www.example.co.kr.");
    assertThat(fromRoot.getSection(Section.AUTHORITY).get(0).getName()).isEqualTo(Name.fromString("kr."));
    // The TLD server holds both kr and co.kr: it answers from the closest enclosing zone.
    Message fromTld = tld.query("www.example.co.kr.");
    assertThat(fromTld.getSection(Section.AUTHORITY).get(0).getName()).isEqualTo(Name.fromString("example.co.kr."));
    assertThat(addresses(fromTld, Section.ADDITIONAL)).containsExactly("127.53.0.13");
  }

  @Test
  void kRServerAnswersCoKrNsAuthoritatively() throws Exception {
    // A QNAME-minimising resolver asks for "co.kr NS": the TLD server owns co.kr, so AA is set.
    Message response = tld.query("co.kr.", Type.NS);
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(response.getSection(Section.ANSWER)).hasSize(1);
  }

  @Test
  void followsCnameAcrossZonesOnTheSameServer() throws Exception {
    Message response = authoritative.query("www.naver.com.");
    List<Record> answer = response.getSection(Section.ANSWER);
    assertThat(answer).hasSize(2);
    assertThat(((CNAMERecord) answer.get(0)).getTarget()).isEqualTo(Name.fromString("www.naver.com.nheos.com."));
    assertThat(answer.get(1).getName()).isEqualTo(Name.fromString("www.naver.com.nheos.com."));
    assertThat(((ARecord) answer.get(1)).getAddress().getHostAddress()).isEqualTo("127.53.0.80");
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
  }

  @Test
  void followsCnameInsideAZone() throws Exception {
    Message response = authoritative.query("mail.google.com.");
    assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME, Type.A);
  }

  @Test
  void answersCnameWhenCnameIsAsked() throws Exception {
    Message response = authoritative.query("www.naver.com.", Type.CNAME);
    assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
  }

  @Test
  void answersNxdomainWithSoaCarryingNegativeTtl() throws Exception {
    Message response = authoritative.query("nosuch.google.com.");
    assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    SOARecord soa = (SOARecord) response.getSection(Section.AUTHORITY).get(0);
    assertThat(soa.getName()).isEqualTo(Name.fromString("google.com."));
    assertThat(soa.getTTL()).isEqualTo(Math.min(60, soa.getMinimum()));
  }

  @Test
  void answersNoDataWithSoa() throws Exception {
    // www.google.com has A and AAAA, but no HTTPS record (type 65, RFC 9460), which browsers ask for.
    Message response = authoritative.query("www.google.com.", Type.HTTPS);
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getSection(Section.ANSWER)).isEmpty();
    assertThat(response.getSection(Section.AUTHORITY)).singleElement().extracting(Record::getType).isEqualTo(Type.SOA);
  }

  @Test
  void comNegativeTtlIsTheSoaTtlWhenSmallerThanMinimum() throws Exception {
    Message response = tld.query("com.", Type.TXT);
    SOARecord soa = (SOARecord) response.getSection(Section.AUTHORITY).get(0);
    assertThat(soa.getMinimum()).isEqualTo(86400);
    assertThat(soa.getTTL()).isEqualTo(900); // RFC 2308 3: min(SOA TTL, MINIMUM)
  }

  @Test
  void answersWildcardWithQueryName() throws Exception {
    Message response = authoritative.query("my.blog.example.co.kr.");
    assertThat(response.getSection(Section.ANSWER))
        .singleElement()
        .satisfies(a -> assertThat(a.getName()).isEqualTo(Name.fromString("my.blog.example.co.kr.")));
  }

  @Test
  void answersEmptyNonTerminalWithNoDataNotNxdomain() throws Exception {
    Message response = authoritative.query("blog.example.co.kr.");
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR); // RFC 8020
    assertThat(response.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void refusesNamesOutsideEveryZone() throws Exception {
    assertThat(authoritative.query("www.example.net.").getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(tld.query("www.example.").getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void rootAnswersForNamesUnderUndelegatedTldWithNxdomain() throws Exception {
    Message response = root.query("www.google.invalid.");
    assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(response.getSection(Section.AUTHORITY).get(0).getType()).isEqualTo(Type.SOA);
  }

  @Test
  void answersApexNsWithAddressesInAdditional() throws Exception {
    Message response = authoritative.query("google.com.", Type.NS);
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(addresses(response, Section.ADDITIONAL)).containsExactly("127.53.0.13");
  }

  @Test
  void preservesQueryNameCase() throws Exception {
    Message response = authoritative.query("WwW.GooGLE.cOm.");
    assertThat(response.getQuestion().getName().toString()).isEqualTo("WwW.GooGLE.cOm.");
    assertThat(response.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo("WwW.GooGLE.cOm.");
  }

  @Test
  void answersEverySpellingAndIdFromOneRenderedAnswer() throws Exception {
    // given the answer rendered once for one spelling
    authoritative.query("www.naver.com.");
    Message query = Message.newQuery(Record.newRecord(Name.fromString("WWW.Naver.COM."), Type.A, org.xbill.DNS.DClass.IN));
    query.getHeader().setID(4242);

    // when another client asks in its own spelling
    Message response = authoritative.udp().send(query);

    // then the reused answer carries that client's ID and spelling, and all of its records
    assertThat(response.getHeader().getID()).isEqualTo(4242);
    assertThat(response.getQuestion().getName().toString()).isEqualTo("WWW.Naver.COM.");
    assertThat(response.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo("WWW.Naver.COM.");
    assertThat(response.getSection(Section.ANSWER))
        .isEqualTo(authoritative.query("www.naver.com.").getSection(Section.ANSWER));
  }

  @Test
  void copiesIdAndRdFromQuery() throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, org.xbill.DNS.DClass.IN));
    query.getHeader().setID(4711);
    Message response = authoritative.udp().send(query);
    assertThat(response.getHeader().getID()).isEqualTo(4711);
    assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(response.getHeader().getFlag(Flags.RA)).isFalse(); // an authority does not recurse
  }

  static List<String> addresses(Message response, int section) {
    return response.getSection(section).stream()
        .filter(r -> r instanceof ARecord)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .toList();
  }
}
