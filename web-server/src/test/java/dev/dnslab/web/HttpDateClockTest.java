package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Date header field's value is the current second's IMF-fixdate, shared within that second. */
class HttpDateClockTest {
  /** The value of now() read within one wall-clock second, with that second; null if it ticked. */
  private record Reading(long second, AsciiString value) {}

  private static Reading read() {
    long before = System.currentTimeMillis() / 1000;
    AsciiString value = HttpDateClock.now();
    long after = System.currentTimeMillis() / 1000;
    return before == after ? new Reading(before, value) : null;
  }

  @Test
  void isTheCurrentSecondAndMovesOnWithTheClock() {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Reading first = null;
    Reading later = null;
    while (System.nanoTime() < deadline && (later == null || later.second() == first.second())) {
      Reading reading = read();
      if (reading == null) {
        continue;
      }
      assertThat(reading.value().toString()).isEqualTo(ImfFixdate.of(reading.second()));
      if (first == null) {
        first = reading;
      } else {
        later = reading;
      }
    }

    assertThat(later).as("a reading in a later second").isNotNull();
    assertThat(later.second()).isGreaterThan(first.second());
    assertThat(later.value().toString()).isNotEqualTo(first.value().toString());
  }

  @Test
  void handsOutOneValuePerSecond() {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      long before = System.currentTimeMillis() / 1000;
      AsciiString first = HttpDateClock.now();
      AsciiString second = HttpDateClock.now();
      if (System.currentTimeMillis() / 1000 == before) {
        // The pre-built responses know a new second by a new instance (StaticSiteResponder).
        assertThat((Object) second).isSameAs(first);
        return;
      }
    }
    throw new AssertionError("no two readings within one second in 5 s");
  }
}
