package dev.dnslab.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * {@code %d{HH:mm:ss.SSS}} of a log line, the bytes logback's DateConverter makes (its
 * CachingDateFormatter: the default zone and locale), with {@code HH:mm:ss} formatted once a
 * second and the milliseconds written as digits. CachingDateFormatter reuses its text only for the
 * very same millisecond, and the access log's lines are seldom in the same one: its
 * DateTimeFormatter (and Instant.ofEpochMilli) ran for most lines, 1.7 % of the web server's CPU
 * samples under wrk -c50, most of ConsolePatternBytes.encode's 2.0 % (async-profiler).
 *
 * <p>Exact because a zone's offset is whole seconds ({@link java.time.ZoneOffset}): the local
 * {@code HH:mm:ss} of an instant depends on its epoch second alone, and {@code SSS} is the
 * millisecond within that second. Safe to share between threads: the cached second is one
 * immutable object, replaced whole.
 */
final class ConsoleTimeStamp {
  /** {@code HH:mm:ss.SSS}: 12 ASCII characters. */
  static final int LENGTH = 12;

  private static final int SECOND_LENGTH = 9; // "HH:mm:ss."

  /** The second's text, formatted once; both fields fixed when it is made. */
  private record Second(long epochSecond, byte[] text) {}

  private final DateTimeFormatter seconds;
  private volatile Second cached = new Second(Long.MIN_VALUE, new byte[SECOND_LENGTH]);

  /** In the JVM's default zone and locale, as CachingDateFormatter without either. */
  ConsoleTimeStamp() {
    this(ZoneId.systemDefault(), Locale.getDefault());
  }

  ConsoleTimeStamp(ZoneId zone, Locale locale) {
    this.seconds = DateTimeFormatter.ofPattern("HH:mm:ss.").withZone(zone).withLocale(locale);
  }

  /** Writes the time of day of {@code epochMillis} to {@code line} at {@code at}; the index after it. */
  int write(long epochMillis, byte[] line, int at) {
    long epochSecond = Math.floorDiv(epochMillis, 1000L);
    Second second = cached;
    if (second.epochSecond() != epochSecond) {
      second = new Second(epochSecond, ascii(seconds.format(Instant.ofEpochSecond(epochSecond))));
      cached = second;
    }
    System.arraycopy(second.text(), 0, line, at, SECOND_LENGTH);
    int millis = (int) Math.floorMod(epochMillis, 1000L);
    line[at + 9] = (byte) ('0' + millis / 100);
    line[at + 10] = (byte) ('0' + millis / 10 % 10);
    line[at + 11] = (byte) ('0' + millis % 10);
    return at + LENGTH;
  }

  private static byte[] ascii(String text) {
    if (text.length() != SECOND_LENGTH) {
      // DateTimeFormatter writes ASCII digits whatever the locale (DecimalStyle.STANDARD), so only
      // a formatter that broke that promise gets here.
      throw new IllegalStateException("time of day: " + text + " (expected: HH:mm:ss.)");
    }
    byte[] bytes = new byte[SECOND_LENGTH];
    for (int i = 0; i < SECOND_LENGTH; i++) {
      bytes[i] = (byte) text.charAt(i);
    }
    return bytes;
  }
}
