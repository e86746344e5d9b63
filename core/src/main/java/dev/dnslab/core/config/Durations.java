package dev.dnslab.core.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** The check a duration setting gets when it is given, worded like the other settings' errors. */
public final class Durations {
  private Durations() {}

  /**
   * {@code value}, checked like {@code requireNonNull(value, name)}: a timeout of zero or less
   * would close at once, or never (Netty reads 0 as "no timeout").
   *
   * @throws IllegalArgumentException {@code "idleTimeout: PT0S (expected: > 0)"}
   */
  public static Duration requirePositive(Duration value, String name) {
    requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
    return value;
  }
}
