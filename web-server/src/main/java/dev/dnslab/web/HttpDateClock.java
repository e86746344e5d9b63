package dev.dnslab.web;

import io.netty.util.AsciiString;

/**
 * The value of the {@code Date} header field (RFC 9110 6.6.1, IMF-fixdate, whole seconds), formatted
 * once per second instead of once per response. Every response still carries the current second: the
 * cached value is replaced as soon as a response is sent in a new second.
 */
final class HttpDateClock {
  private record Formatted(long epochSecond, AsciiString value) {}

  private static volatile Formatted last = format(System.currentTimeMillis() / 1000);

  private HttpDateClock() {}

  /** The current time as an HTTP date, e.g. {@code Thu, 03 Dec 2026 14:08:00 GMT}. */
  static AsciiString now() {
    long second = System.currentTimeMillis() / 1000;
    Formatted cached = last;
    if (cached.epochSecond() != second) {
      cached = format(second);
      last = cached;
    }
    return cached.value();
  }

  private static Formatted format(long epochSecond) {
    return new Formatted(epochSecond, AsciiString.cached(ImfFixdate.of(epochSecond)));
  }
}
