package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.LabRole;
import dev.dnslab.recursor.trace.Trace;
import dev.dnslab.recursor.trace.TraceStep;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What a browser asks beside A (AAAA, and HTTPS: type 65, RFC 9460) and what an IPv4-only recursor
 * does with the lab's IPv6 corners, against the real lab zones on loopback. The lab here has no
 * IPv6 addresses, so the recursor runs as {@link RecursorConfig}'s default, IPv4 only; the IPv6
 * walks themselves run in a network namespace (the lab module's Ipv6NetnsIT).
 */
class Ipv6AnswersTest {
  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).emptyCacheBeforeEach();

  @Test
  void answersAaaaWithTheHostsIpv6Address() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.AAAA);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(response)).containsExactly("www.google.com. AAAA fd00:53:53:127:0:0:0:80");
  }

  @Test
  void answersNodataWithTheSoaForHttpsWhichNoLabSiteHas() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.HTTPS);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getSection(Section.ANSWER)).isEmpty();
    assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class)
        .extracting(record -> record.getName().toString()).isEqualTo("google.com.");
  }

  @Test
  void answersNodataForTheAOfAnIpv6OnlyHost() throws Exception {
    Message a = Dig.query(recursor.server().dnsAddress(), "ipv6.google.com.", Type.A);
    Message aaaa = Dig.query(recursor.server().dnsAddress(), "ipv6.google.com.", Type.AAAA);

    assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(a.getSection(Section.ANSWER)).isEmpty();
    assertThat(Dig.answerWithoutTtl(aaaa)).containsExactly("ipv6.google.com. AAAA fd00:53:53:127:0:0:0:80");
  }

  @Test
  void reachesAnIpv6LameNameServerOverIpv4() throws Exception {
    Message response = Dig.query(recursor.server().dnsAddress(), "www.v6lame.net.", Type.A);

    assertThat(Dig.answerWithoutTtl(response)).containsExactly("www.v6lame.net. A " + web());
  }

  @Test
  void failsAtAZoneServedOnlyOverIpv6WithoutAskingAnyIpv6Address() throws Exception {
    Trace trace = recursor.server().resolver().trace(Name.fromString("www.v6only.net."), Type.A)
        .get(10, TimeUnit.SECONDS);

    assertThat(trace.rcode()).isEqualTo("SERVFAIL");
    assertThat(trace.steps()).extracting(TraceStep::server).extracting(TraceStep.Server::address)
        .isNotEmpty().allSatisfy(address -> assertThat(address).doesNotContain(":"));
  }

  private static String web() {
    return recursor.lab().plan().address(LabRole.WEB).getHostAddress();
  }
}
