package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import dev.dnslab.recursor.limit.Limit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The NXNSAttack (CVE-2020-8616) against our recursor, with the nxns-delegation scenario's com zone:
 * nxns.com is delegated to 100 glueless name servers under naver.com that do not exist. One client
 * query must not make the recursor send 100 lookups to naver.com's server: it looks up {@link
 * ResolutionLimits#MAX_NAME_SERVER_LOOKUPS}, then gives up with SERVFAIL, and says so.
 */
class DelegationLookupCapTest {
  private static final Path ZONES = LabHierarchy.overlay(LabHierarchy.LAB_ZONES, LabRole.TLD,
      Path.of("..", "scenarios", "zones", "nxns", "com.zone"));

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(ZONES).emptyCacheBeforeEach();

  @Test
  void looksUpAtMostFiveNameServersOfOneReferral() throws Exception {
    // given the recursor knows the way to naver.com's server, so each lookup costs one query there
    assertThat(Dig.query(recursor.server().dnsAddress(), "www.naver.com.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
    double authorityBefore = requests(recursor.lab().server(LabRole.AUTHORITATIVE).registry());
    double upstreamBefore = sum(recursor.server().registry(), RecursorMetrics.UPSTREAM_QUERIES);
    double limitedBefore = recursor.server().metrics().limits().count(Limit.DELEGATION_LOOKUPS);

    // when a client asks for a name below the delegation to 100 name servers
    Message response = Dig.query(recursor.server().dnsAddress(), "www.nxns.com.", Type.A);

    // then naver.com's server was asked about at most five of them, and the cap is counted
    double authorityQueries = requests(recursor.lab().server(LabRole.AUTHORITATIVE).registry()) - authorityBefore;
    double upstreamQueries = sum(recursor.server().registry(), RecursorMetrics.UPSTREAM_QUERIES) - upstreamBefore;
    System.out.printf("DelegationLookupCapTest: www.nxns.com %s after %.0f upstream queries, %.0f to naver.com's"
        + " server (100 name servers in the referral)%n", Rcode.string(response.getRcode()), upstreamQueries,
        authorityQueries);
    assertThat(response.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(authorityQueries).isBetween(1.0, (double) ResolutionLimits.MAX_NAME_SERVER_LOOKUPS);
    // the referral from com (100 NS records truncate over UDP, so asked again over TCP), then the
    // lookups: nothing else
    assertThat(upstreamQueries).isLessThanOrEqualTo(2.0 + ResolutionLimits.MAX_NAME_SERVER_LOOKUPS);
    assertThat(recursor.server().metrics().limits().count(Limit.DELEGATION_LOOKUPS)).isEqualTo(limitedBefore + 1);
    assertThat(recursor.server().registry().find(RecursorMetrics.LIMITED).tag("limit", "delegation_lookups").counter())
        .isNotNull();
  }

  @Test
  void stillResolvesOtherNamesAfterTheAttack() throws Exception {
    Dig.query(recursor.server().dnsAddress(), "www.nxns.com.", Type.A);

    Message response = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A);

    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(response)).isNotEmpty();
  }

  private static double requests(MeterRegistry registry) {
    return sum(registry, DnsMetrics.REQUESTS);
  }

  private static double sum(MeterRegistry registry, String meter) {
    return registry.find(meter).counters().stream().mapToDouble(Counter::count).sum();
  }
}
