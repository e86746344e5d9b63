package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSelectorTest {
  private final ServerSelector selector = new ServerSelector();

  @Test
  void prefersTheServerWithTheSmallerSmoothedRtt() throws Exception {
    InetAddress fast = InetAddress.getByName("127.53.0.12");
    InetAddress slow = InetAddress.getByName("127.53.0.13");
    selector.replied(fast, Duration.ofMillis(1));
    selector.replied(slow, Duration.ofMillis(40));

    for (int i = 0; i < 20; i++) {
      assertThat(selector.choose(List.of(slow, fast))).isEqualTo(fast);
    }
  }

  @Test
  void prefersAnUnknownServerToOneThatTimedOut() throws Exception {
    InetAddress dead = InetAddress.getByName("127.53.0.99");
    InetAddress unknown = InetAddress.getByName("127.53.0.13");
    selector.timedOut(dead, Duration.ofMillis(1000));

    assertThat(selector.choose(List.of(dead, unknown))).isEqualTo(unknown);
    assertThat(selector.rttMillis(dead)).isGreaterThan(ServerSelector.UNKNOWN_RTT_MILLIS);
  }

  @Test
  void smoothsNewSamplesInsteadOfJumpingToThem() throws Exception {
    InetAddress server = InetAddress.getByName("127.53.0.11");
    selector.replied(server, Duration.ofMillis(10));

    selector.replied(server, Duration.ofMillis(90));

    assertThat(selector.rttMillis(server)).isEqualTo(10 + ServerSelector.SMOOTHING * 80);
  }
}
