package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.cookie.ServerCookieHandler;
import dev.dnslab.recursor.upstream.UpstreamCookies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Our recursor and our authorities exchange DNS cookies (RFC 7873) on every walk. */
class UpstreamCookiesLabTest {
  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES).emptyCacheBeforeEach();

  @Test
  void learnsEachServersCookieAndShowsItOnTheNextQuery() throws Exception {
    Message google = Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A);
    Message naver = Dig.query(recursor.server().dnsAddress(), "www.naver.com.", Type.A);

    assertThat(google.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(naver.getRcode()).isEqualTo(Rcode.NOERROR);
    MeterRegistry ours = recursor.server().registry();
    assertThat(count(ours, UpstreamCookies.COOKIES, "event", "sent")).isPositive();
    assertThat(count(ours, UpstreamCookies.COOKIES, "event", "echoed"))
        .as("every authority echoed our client cookie").isEqualTo(count(ours, UpstreamCookies.COOKIES, "event", "sent"));
    assertThat(count(ours, UpstreamCookies.COOKIES, "event", "learned")).isGreaterThanOrEqualTo(3);
    assertThat(count(ours, UpstreamCookies.COOKIES, "event", "mismatched")).isZero();
    double valid = 0;
    for (AuthorityServer server : recursor.lab().servers()) {
      assertThat(count(server.registry(), ServerCookieHandler.COOKIES, "result", "invalid")).isZero();
      valid += count(server.registry(), ServerCookieHandler.COOKIES, "result", "valid");
    }
    assertThat(valid).as("second queries to a server carry the server cookie it gave").isPositive();
  }

  private static double count(MeterRegistry registry, String name, String tag, String value) {
    Counter counter = registry.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }
}
