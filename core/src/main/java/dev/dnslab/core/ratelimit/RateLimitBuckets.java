package dev.dnslab.core.ratelimit;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token buckets of response rate limiting, one per client network and response category,
 * bounded like NSD's {@code rrl-size} table: past {@link #MAX_BUCKETS} the least recently charged
 * bucket is forgotten, so a client spraying addresses or names costs memory only up to the cap.
 */
final class RateLimitBuckets {
  /** Enough for a lab under a flood of random names from many networks; a few MB at most. */
  static final int MAX_BUCKETS = 65_536;

  private static final double NANOS_PER_SECOND = 1e9;

  /** One network's account for one category. */
  private static final class Bucket {
    double tokens;
    long refilledNanos;
    long limited;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledNanos = now;
    }
  }

  record Key(InetAddress network, ResponseCategory category) {}

  private final ResponseRateLimit settings;
  private final Map<Key, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Bucket> eldest) {
      return size() > MAX_BUCKETS;
    }
  };

  RateLimitBuckets(ResponseRateLimit settings) {
    this.settings = requireNonNull(settings, "settings");
  }

  /** Charges one response to {@code key} at {@code nowNanos} and says what to do with it. */
  synchronized RateLimitDecision charge(Key key, long nowNanos) {
    double burst = settings.burst();
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
    double elapsed = Math.max(0, nowNanos - bucket.refilledNanos) / NANOS_PER_SECOND;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsed * settings.responsesPerSecond());
    bucket.refilledNanos = nowNanos;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return RateLimitDecision.SEND;
    }
    bucket.limited++;
    int slip = settings.slip();
    return slip > 0 && bucket.limited % slip == 0 ? RateLimitDecision.SLIP : RateLimitDecision.DROP;
  }

  synchronized int size() {
    return buckets.size();
  }
}
