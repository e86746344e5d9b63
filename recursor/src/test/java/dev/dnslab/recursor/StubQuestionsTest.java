package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Questions stubs really ask that a tidy walk does not meet: QTYPE ANY (RFC 8482) and the
 * special-use and locally served names (RFC 6761, RFC 6303), over real UDP against the lab zones.
 */
class StubQuestionsTest {
  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).emptyCacheBeforeEach();

  @Test
  void answersAnyWithTheSetTheAuthorityGives() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "google.com.", Type.ANY);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(response)).contains(
        "google.com. A " + web(),
        "google.com. MX 10 smtp.google.com.",
        "google.com. NS ns1.google.com.");
  }

  @Test
  void answersAnyAgainFromTheAuthorityNotFromAPartialCache() throws Exception {
    Dig.query(recursor.server().dnsAddress(), "google.com.", Type.A);

    Message response = Dig.query(recursor.server().dnsAddress(), "google.com.", Type.ANY);

    assertThat(Dig.answerWithoutTtl(response)).contains("google.com. A " + web(),
        "google.com. MX 10 smtp.google.com.");
  }

  @Test
  void answersAnyForAnAliasWithTheCnameItself() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "mail.google.com.", Type.ANY);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(response)).containsExactly("mail.google.com. CNAME googlemail.l.google.com.");
  }

  @Test
  void resolvesLocalhostToLoopbackWithoutAskingAnyone() throws Exception {
    double before = upstreamQueries();

    Message a = Dig.query(recursor.server().dnsAddress(), "localhost.", Type.A);
    Message aaaa = Dig.query(recursor.server().dnsAddress(), "app.localhost.", Type.AAAA);

    assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(a.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(Dig.answerWithoutTtl(a)).containsExactly("localhost. A 127.0.0.1");
    assertThat(Dig.answerWithoutTtl(aaaa)).containsExactly("app.localhost. AAAA 0:0:0:0:0:0:0:1");
    assertThat(upstreamQueries()).isEqualTo(before);
  }

  @Test
  void answersNodataForOtherTypesAtLocalhost() throws Exception {
    Message mx = Dig.query(recursor.server().dnsAddress(), "localhost.", Type.MX);

    assertThat(mx.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(mx.getSection(Section.ANSWER)).isEmpty();
    assertThat(soaOf(mx).getName().toString()).isEqualTo("localhost.");
  }

  @Test
  void answersNxdomainForInvalidWithoutAskingAnyone() throws Exception {
    double before = upstreamQueries();

    Message response = Dig.query(recursor.server().dnsAddress(), "printer.invalid.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
    SOARecord soa = soaOf(response);
    assertThat(soa.getName().toString()).isEqualTo("invalid.");
    assertThat(soa.getAdmin().toString()).isEqualTo("nobody.invalid.");
    assertThat(upstreamQueries()).isEqualTo(before);
  }

  @Test
  void servesPrivateAndLoopbackReverseZonesEmpty() throws Exception {
    double before = upstreamQueries();

    Message loopback = Dig.query(recursor.server().dnsAddress(), "1.0.0.127.in-addr.arpa.", Type.PTR);
    Message rfc1918 = Dig.query(recursor.server().dnsAddress(), "5.53.28.172.in-addr.arpa.", Type.PTR);
    Message linkLocal = Dig.query(recursor.server().dnsAddress(),
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa.", Type.PTR);
    Message ipv6Loopback = Dig.query(recursor.server().dnsAddress(), "1." + "0.".repeat(31) + "ip6.arpa.", Type.PTR);

    assertThat(loopback.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(soaOf(loopback).getName().toString()).isEqualTo("127.in-addr.arpa.");
    assertThat(rfc1918.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(soaOf(rfc1918).getName().toString()).isEqualTo("28.172.in-addr.arpa.");
    assertThat(linkLocal.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(soaOf(linkLocal).getName().toString()).isEqualTo("8.e.f.ip6.arpa.");
    assertThat(ipv6Loopback.getRcode()).as("the apex of an empty zone exists").isEqualTo(Rcode.NOERROR);
    assertThat(ipv6Loopback.getSection(Section.ANSWER)).isEmpty();
    assertThat(upstreamQueries()).isEqualTo(before);
  }

  @Test
  void answersTheApexSoaOfAnEmptyReverseZone() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "10.in-addr.arpa.", Type.SOA);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(response))
        .containsExactly("10.in-addr.arpa. SOA 10.in-addr.arpa. nobody.invalid. 1 3600 1200 604800 10800");
  }

  private static String web() {
    return recursor.lab().plan().address(dev.dnslab.core.lab.LabRole.WEB).getHostAddress();
  }

  private static SOARecord soaOf(Message response) {
    return (SOARecord) response.getSection(Section.AUTHORITY).get(0);
  }

  /** Every query the recursor sent upstream so far, over all server roles and transports. */
  private static double upstreamQueries() {
    return recursor.server().registry().find(RecursorMetrics.UPSTREAM_QUERIES).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }
}
