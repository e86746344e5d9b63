package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.core.util.CachingDateFormatter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A log line's time of day, formatted once a second, has the bytes logback's own formatter makes. */
class ConsoleTimeStampTest {
  private static String written(ConsoleTimeStamp stamp, long epochMillis) {
    byte[] line = new byte[ConsoleTimeStamp.LENGTH + 2];
    int end = stamp.write(epochMillis, line, 1);
    assertThat(end).isEqualTo(1 + ConsoleTimeStamp.LENGTH);
    return new String(line, 1, ConsoleTimeStamp.LENGTH, StandardCharsets.US_ASCII);
  }

  @ParameterizedTest
  @CsvSource({
    // The JVM's own zone; UTC; a DST change (2026-03-29 01:00 UTC); a half-hour and a 45-minute
    // offset; an offset with seconds (Amsterdam's +00:19:32 until 1937); a locale with its own digits.
    ",", "UTC,en", "Europe/Berlin,de-DE", "America/St_Johns,en-CA", "Asia/Kathmandu,ne-NP",
    "Europe/Amsterdam,nl-NL", "Asia/Bangkok,th-TH-u-nu-thai"
  })
  void writesWhatLogbacksCachingDateFormatterWritesForEveryMillisecond(String zoneName, String language) {
    ZoneId zone = zoneName == null ? ZoneId.systemDefault() : ZoneId.of(zoneName);
    Locale locale = language == null ? Locale.getDefault() : Locale.forLanguageTag(language);
    ConsoleTimeStamp stamp = new ConsoleTimeStamp(zone, locale);
    CachingDateFormatter logback = new CachingDateFormatter("HH:mm:ss.SSS", zone, locale);
    long dstChange = Instant.parse("2026-03-29T01:00:00Z").toEpochMilli();
    long amsterdam1930 = Instant.parse("1930-06-01T12:00:00Z").toEpochMilli();

    // Runs of consecutive milliseconds across second, minute and DST boundaries, before 1970 too,
    // then random instants in any order, so the cached second changes back and forth.
    for (long start : new long[] {dstChange - 2_500, amsterdam1930 - 1_500, -2_500, 1_764_972_000_000L - 1_500}) {
      for (long millis = start; millis < start + 5_000; millis++) {
        assertThat(written(stamp, millis)).as("%d", millis).isEqualTo(logback.format(millis));
      }
    }
    SplittableRandom random = new SplittableRandom(16);
    for (int i = 0; i < 20_000; i++) {
      long millis = random.nextLong(-4_000_000_000_000L, 8_000_000_000_000L);
      assertThat(written(stamp, millis)).as("%d", millis).isEqualTo(logback.format(millis));
    }
  }
}
