package dev.dnslab.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void returnsAPositiveDuration() {
    assertThat(Durations.requirePositive(Duration.ofNanos(1), "idleTimeout")).isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void rejectsZeroAndNegativeDurationsNamingTheSetting() {
    assertThatThrownBy(() -> Durations.requirePositive(Duration.ZERO, "idleTimeout"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("idleTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> Durations.requirePositive(Duration.ofSeconds(-5), "tlsIdleTimeout"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("tlsIdleTimeout: PT-5S (expected: > 0)");
  }

  @Test
  void rejectsAMissingDurationNamingTheSetting() {
    assertThatThrownBy(() -> Durations.requirePositive(null, "idleTimeout"))
        .isInstanceOf(NullPointerException.class).hasMessage("idleTimeout");
  }
}
