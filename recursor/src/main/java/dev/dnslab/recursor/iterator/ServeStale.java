package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Serve-stale (RFC 8767): how long past its TTL an answer may still be given when no authority
 * answers, and the RFC's timers. Off unless the recursor is started with {@code --serve-stale}.
 *
 * @param window how long after expiry data may be served stale (RFC 8767 5's "maximum stale timer")
 * @param clientResponseTimer how long a client waits for a fresh answer before it gets a stale one
 * @param answerTtl the TTL a stale record is served with
 */
public record ServeStale(Duration window, Duration clientResponseTimer, long answerTtl) {
  /**
   * RFC 8767 5's recommended values: a stale window of 1 to 3 days (the low end: a learner's lab
   * should not answer week-old data), a client response timer of 1.8 s (below the usual 2 s stub
   * retry), and a stale TTL of 30 s (so a client asks again soon, and gets fresh data once an
   * authority is back).
   */
  public static final ServeStale RFC_8767 = new ServeStale(Duration.ofDays(1), Duration.ofMillis(1800), 30);

  public ServeStale {
    requireNonNull(window, "window");
    requireNonNull(clientResponseTimer, "clientResponseTimer");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
    }
    if (clientResponseTimer.isNegative() || clientResponseTimer.isZero()) {
      throw new IllegalArgumentException("clientResponseTimer: " + clientResponseTimer + " (expected: > 0)");
    }
    if (answerTtl < 1) {
      throw new IllegalArgumentException("answerTtl: " + answerTtl + " (expected: >= 1)");
    }
  }
}
