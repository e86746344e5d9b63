package dev.dnslab.recursor.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.net.Cidr;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which clients each per-client limit holds at all: what lets the cache-hit shortcut skip both
 * limits for a client exempt from them, and only for such a client.
 */
class ClientLimitScopeTest {
  private final LimitReporter reporter = new LimitReporter(new SimpleMeterRegistry());

  @Test
  void holdsEveryClientButTheExemptOnes() throws Exception {
    ClientLimits limits = new ClientLimits(10, 10, 5, 24, 56, List.of(Cidr.parse("192.0.2.0/24")));

    InetAddress exempt = InetAddress.getByName("192.0.2.7");
    assertThat(new ClientRateLimitHandler(limits, reporter).limits(exempt)).isFalse();
    assertThat(new ClientOutstandingLimitHandler(limits, reporter).limits(exempt)).isFalse();
    InetAddress held = InetAddress.getByName("198.51.100.7");
    assertThat(new ClientRateLimitHandler(limits, reporter).limits(held)).isTrue();
    assertThat(new ClientOutstandingLimitHandler(limits, reporter).limits(held)).isTrue();
  }

  @Test
  void holdsNoClientWhenALimitIsOff() throws Exception {
    InetAddress client = InetAddress.getByName("198.51.100.7");
    ClientLimits rateOff = new ClientLimits(0, 0, 5, 24, 56, List.of());
    ClientLimits outstandingOff = new ClientLimits(10, 10, 0, 24, 56, List.of());

    assertThat(new ClientRateLimitHandler(rateOff, reporter).limits(client)).isFalse();
    assertThat(new ClientOutstandingLimitHandler(rateOff, reporter).limits(client)).isTrue();
    assertThat(new ClientOutstandingLimitHandler(outstandingOff, reporter).limits(client)).isFalse();
    assertThat(new ClientRateLimitHandler(outstandingOff, reporter).limits(client)).isTrue();
  }
}
