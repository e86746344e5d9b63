package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNAME (RFC 6672) through the recursor, against the lab's own zones on real authority servers:
 * nhn.com redirects its whole subtree to naver.com, legacy.example.co.kr to blog.example.co.kr.
 */
class RecursorDnameTest {
  /**
   * 254 octets on the wire below nhn.com.: below naver.com., two octets longer, it would pass the
   * 255 of RFC 1035 2.3.4, so the authority answers YXDOMAIN (RFC 6672 2.2).
   */
  static final String TOO_LONG_BELOW_NHN =
      "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(52) + ".nhn.com.";

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).emptyCacheBeforeEach();

  @Test
  void followsTheDnameAndTheCnamesAfterIt() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "www.nhn.com.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(response)).containsExactly(
        "nhn.com. DNAME naver.com.",
        "www.naver.com. CNAME www.naver.com.nheos.com.",
        "www.naver.com.nheos.com. A " + web(),
        "www.nhn.com. CNAME www.naver.com.");
    // RFC 6672 3.1: the synthesised CNAME carries the DNAME's TTL.
    Record dname = record(response, Type.DNAME);
    assertThat(record(response, Type.CNAME).getTTL()).isEqualTo(dname.getTTL()).isEqualTo(3600);
  }

  @Test
  void followsADnameIntoAWildcard() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "x.legacy.example.co.kr.", Type.A);

    assertThat(Dig.answerWithoutTtl(response)).containsExactly(
        "legacy.example.co.kr. DNAME blog.example.co.kr.",
        "x.blog.example.co.kr. A " + web(),
        "x.legacy.example.co.kr. CNAME x.blog.example.co.kr.");
  }

  @Test
  void answersNxdomainForANameTheDnameLeadsNowhere() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "nosuch.nhn.com.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(Dig.answerWithoutTtl(response)).containsExactly(
        "nhn.com. DNAME naver.com.",
        "nosuch.nhn.com. CNAME nosuch.naver.com.");
  }

  @Test
  void answersYxdomainWithTheDnameWhenTheSubstituteIsTooLong() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), TOO_LONG_BELOW_NHN, Type.A);

    // RFC 6672 2.2: the authority's YXDOMAIN and its DNAME are passed on, not turned into SERVFAIL.
    assertThat(Rcode.string(response.getRcode())).isEqualTo("YXDOMAIN");
    assertThat(Dig.answerWithoutTtl(response)).containsExactly("nhn.com. DNAME naver.com.");
  }

  @Test
  void answersOtherNamesBelowACachedDnameBySynthesis() throws Exception {
    // Given: the DNAME cached (from nosuch.nhn.com) and www.naver.com's chain cached, but never
    // www.nhn.com itself.
    Dig.query(recursor.server().dnsAddress(), "nosuch.nhn.com.", Type.A);
    Dig.query(recursor.server().dnsAddress(), "www.naver.com.", Type.A);

    // When: asked with RD clear, which answers from the cache alone (RFC 1034 4.3.1).
    Message cached = norec("www.nhn.com.");

    // Then: RFC 6672 3.4, the recursor synthesises the CNAME from its cached DNAME.
    assertThat(cached.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(cached)).containsExactly(
        "nhn.com. DNAME naver.com.",
        "www.naver.com. CNAME www.naver.com.nheos.com.",
        "www.naver.com.nheos.com. A " + web(),
        "www.nhn.com. CNAME www.naver.com.");
  }

  @Test
  void keepsTheDnameInAnswersFromTheCache() throws Exception {
    // Given: www.nhn.com A and x.legacy.example.co.kr A resolved (DNAMEs and targets cached).
    Dig.query(recursor.server().dnsAddress(), "www.nhn.com.", Type.A);
    Dig.query(recursor.server().dnsAddress(), "x.legacy.example.co.kr.", Type.A);

    // When: other questions about the same names follow.
    Message cname = Dig.query(recursor.server().dnsAddress(), "www.nhn.com.", Type.CNAME);
    Message nodata = Dig.query(recursor.server().dnsAddress(), "x.legacy.example.co.kr.", Type.HTTPS);

    // Then: the DNAME comes with its CNAME, as from the authority (what Unbound answers too).
    assertThat(Dig.answerWithoutTtl(cname)).containsExactly("nhn.com. DNAME naver.com.", "www.nhn.com. CNAME www.naver.com.");
    assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(nodata)).containsExactly(
        "legacy.example.co.kr. DNAME blog.example.co.kr.", "x.legacy.example.co.kr. CNAME x.blog.example.co.kr.");
  }

  private static Record record(Message response, int type) {
    return response.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).findFirst().orElseThrow();
  }

  private static Message norec(String name) throws Exception {
    return Dig.queryWithoutRecursion(recursor.server().dnsAddress(), name);
  }

  private static String web() {
    return recursor.lab().plan().address(dev.dnslab.core.lab.LabRole.WEB).getHostAddress();
  }
}
