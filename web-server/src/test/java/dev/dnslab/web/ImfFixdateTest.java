package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import java.time.Instant;
import java.util.Date;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An HTTP date is the very text Netty's DateFormatter gave for the same second (RFC 9110 5.6.7). */
class ImfFixdateTest {
  private static String netty(long epochSecond) {
    return DateFormatter.format(new Date(epochSecond * 1000));
  }

  @Test
  void writesRfc9110sExample() {
    assertThat(ImfFixdate.of(Instant.parse("1994-11-06T08:49:37Z").getEpochSecond()))
        .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2000-02-29T12:00:00Z",
      "1900-02-28T23:59:59Z", "1900-03-01T00:00:00Z", "2100-03-01T00:00:00Z", "2026-12-06T09:05:07Z",
      "2038-01-19T03:14:08Z", "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "1582-10-15T00:00:00Z",
      "1582-10-14T23:59:59Z", "1000-06-30T01:02:03Z"})
  void writesWhatNettyWritesOnEitherSideOfCalendarEdges(String when) {
    long second = Instant.parse(when).getEpochSecond();

    assertThat(ImfFixdate.of(second)).isEqualTo(netty(second));
  }

  @Test
  void writesWhatNettyWritesForAnySecondOfAnyYearSinceTheGregorianCalendar() {
    SplittableRandom random = new SplittableRandom(16);
    long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      long second = random.nextLong(ImfFixdate.GREGORIAN_CUTOVER_SECOND, last + 1);
      assertThat(ImfFixdate.of(second)).as("second %d", second).isEqualTo(netty(second));
    }
  }

  @Test
  void takesTheSecondThatHoldsAMillisecondInstant() {
    assertThat(ImfFixdate.ofMillis(999)).isEqualTo(netty(0));
    assertThat(ImfFixdate.ofMillis(-1)).isEqualTo(netty(-1));
    assertThat(ImfFixdate.ofMillis(1_765_011_907_500L)).isEqualTo(DateFormatter.format(new Date(1_765_011_907_500L)));
  }
}
