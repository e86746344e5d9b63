package dev.dnslab.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The token arithmetic and the accounting networks, on a clock the test moves. */
class RateLimitBucketsTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void savesUpRateTimesWindowAndRefillsAtTheRate() throws Exception {
    RateLimitBuckets buckets = new RateLimitBuckets(new ResponseRateLimit(5, 0, Duration.ofSeconds(2), List.of()));
    RateLimitBuckets.Key key = key("192.0.2.1");

    List<RateLimitDecision> firstSecond = charge(buckets, key, 0, 12);
    List<RateLimitDecision> afterOneSecond = charge(buckets, key, SECOND, 6);

    assertThat(firstSecond.subList(0, 10)).containsOnly(RateLimitDecision.SEND);
    assertThat(firstSecond.subList(10, 12)).containsOnly(RateLimitDecision.DROP);
    assertThat(afterOneSecond.subList(0, 5)).containsOnly(RateLimitDecision.SEND);
    assertThat(afterOneSecond.get(5)).isEqualTo(RateLimitDecision.DROP);
  }

  @Test
  void slipsEveryNthLimitedResponse() throws Exception {
    RateLimitBuckets buckets = new RateLimitBuckets(new ResponseRateLimit(1, 3, Duration.ofSeconds(1), List.of()));

    List<RateLimitDecision> decisions = charge(buckets, key("192.0.2.1"), 0, 7);

    assertThat(decisions).containsExactly(RateLimitDecision.SEND, RateLimitDecision.DROP, RateLimitDecision.DROP,
        RateLimitDecision.SLIP, RateLimitDecision.DROP, RateLimitDecision.DROP, RateLimitDecision.SLIP);
  }

  @Test
  void accountsIpv4Per24AndIpv6Per56() throws Exception {
    assertThat(ResponseRateLimitHandler.network(InetAddress.getByName("192.0.2.77")))
        .isEqualTo(InetAddress.getByName("192.0.2.0"));
    assertThat(ResponseRateLimitHandler.network(InetAddress.getByName("2001:db8:1:2ff:aaaa::1")))
        .isEqualTo(InetAddress.getByName("2001:db8:1:200::"));
  }

  @Test
  void forgetsTheLeastRecentlyChargedBucketPastTheCap() throws Exception {
    RateLimitBuckets buckets = new RateLimitBuckets(ResponseRateLimit.DEFAULT);
    InetAddress network = InetAddress.getByName("192.0.2.0");

    for (int i = 0; i <= RateLimitBuckets.MAX_BUCKETS; i++) {
      buckets.charge(new RateLimitBuckets.Key(network, new ResponseCategory.Answer(Name.root, i)), 0);
    }

    assertThat(buckets.size()).isEqualTo(RateLimitBuckets.MAX_BUCKETS);
  }

  private static List<RateLimitDecision> charge(RateLimitBuckets buckets, RateLimitBuckets.Key key, long at, int times) {
    List<RateLimitDecision> decisions = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      decisions.add(buckets.charge(key, at));
    }
    return decisions;
  }

  private static RateLimitBuckets.Key key(String client) throws Exception {
    return new RateLimitBuckets.Key(ResponseRateLimitHandler.network(InetAddress.getByName(client)),
        new ResponseCategory.Answer(Name.fromString("www.google.com."), Type.A));
  }
}
