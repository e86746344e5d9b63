package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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
  void choosesTheOnlyServerWhileOtherResolutionsUpdateItsTime() throws Exception {
    // Under load, 100 cold resolutions met this: one read the server's time, another's reply or
    // timeout changed it, and a second read left no server to choose (SERVFAIL, "internal error").
    InetAddress only = InetAddress.getByName("127.53.0.11");
    AtomicBoolean done = new AtomicBoolean();
    Thread updater = new Thread(() -> {
      while (!done.get()) {
        selector.replied(only, Duration.ofMillis(1));
        selector.timedOut(only, Duration.ofMillis(1000));
      }
    });
    updater.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (System.nanoTime() < deadline) {
        assertThat(selector.choose(List.of(only))).isEqualTo(only);
      }
    } finally {
      done.set(true);
      updater.join();
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

  @Test
  void asksTheIpv6AddressFirstAmongEquallyGoodServers() throws Exception {
    InetAddress ipv4 = InetAddress.getByName("127.53.0.13");
    InetAddress ipv6 = InetAddress.getByName("fd00:53:53:127::13");

    for (int i = 0; i < 20; i++) {
      assertThat(selector.choose(List.of(ipv4, ipv6))).isEqualTo(ipv6);
    }
  }

  @Test
  void asksAnIpv6AddressNeverAskedBeforeAnIpv4AddressKnownToBeFast() throws Exception {
    // The lab's authoritative-ns serves v6lame.net at 127.53.0.13 and many other zones: once any
    // of them was asked there, ns1.v6lame.net's unreachable IPv6 address must still be tried.
    InetAddress ipv4 = InetAddress.getByName("127.53.0.13");
    InetAddress lame = InetAddress.getByName("fd00:53:53:127::99");
    selector.replied(ipv4, Duration.ofMillis(1));

    assertThat(selector.choose(List.of(ipv4, lame))).isEqualTo(lame);
    selector.timedOut(lame, Duration.ofMillis(1000));
    assertThat(selector.choose(List.of(ipv4, lame))).isEqualTo(ipv4);
  }

  @Test
  void putsANeverAskedIpv6AddressFirstOnlyOnceEvenWithoutAnOutcome() throws Exception {
    // A send the upstream policy refuses records no time: the address must not stay "never asked".
    InetAddress ipv4 = InetAddress.getByName("127.53.0.13");
    InetAddress blocked = InetAddress.getByName("fd00:53:53:127::99");
    selector.replied(ipv4, Duration.ofMillis(1));

    assertThat(selector.choose(List.of(ipv4, blocked))).isEqualTo(blocked);
    for (int i = 0; i < 20; i++) {
      assertThat(selector.choose(List.of(ipv4, blocked))).isEqualTo(ipv4);
    }
  }

  @Test
  void prefersAFastIpv6AddressToAnIpv4AddressNeverAsked() throws Exception {
    InetAddress ipv4 = InetAddress.getByName("127.53.0.13");
    InetAddress ipv6 = InetAddress.getByName("fd00:53:53:127::13");
    selector.replied(ipv6, Duration.ofMillis(1));

    for (int i = 0; i < 20; i++) {
      assertThat(selector.choose(List.of(ipv4, ipv6))).isEqualTo(ipv6);
    }
  }

  @Test
  void fallsBackToIpv4OnceTheIpv6AddressTimedOut() throws Exception {
    InetAddress ipv4 = InetAddress.getByName("127.53.0.13");
    InetAddress lame = InetAddress.getByName("fd00:53:53:127::99");
    selector.timedOut(lame, Duration.ofMillis(1000));

    assertThat(selector.choose(List.of(ipv4, lame))).isEqualTo(ipv4);
  }

  @Test
  void neverChoosesAnAddressOfAFamilyThatIsOff() throws Exception {
    InetAddress ipv4 = InetAddress.getByName("127.53.0.13");
    InetAddress ipv6 = InetAddress.getByName("fd00:53:53:127::13");

    assertThat(new ServerSelector(AddressFamilies.IPV4_ONLY).choose(List.of(ipv4, ipv6))).isEqualTo(ipv4);
    assertThat(new ServerSelector(AddressFamilies.IPV6_ONLY).choose(List.of(ipv4, ipv6))).isEqualTo(ipv6);
    assertThat(new ServerSelector(AddressFamilies.IPV4_ONLY).choose(List.of(ipv6))).isNull();
  }
}
