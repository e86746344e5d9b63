package dev.dnslab.junit.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.junit.ScenarioLibrary;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** What {@code -Ddnslab.matrix.scenarios} lets a resolver matrix run. */
class MatrixScenarioChoiceTest {
  @Test
  void unsetRunsEveryShippedScenario() {
    Predicate<String> chosen = ResolverMatrix.chosenScenarios(" ");

    assertThat(ScenarioLibrary.NAMES).isNotEmpty().allMatch(chosen);
  }

  @Test
  void runsExactlyTheNamedScenarios() {
    Predicate<String> chosen = ResolverMatrix.chosenScenarios("servfail, dnssec-signed,servfail");

    assertThat(ScenarioLibrary.NAMES.stream().filter(chosen)).containsExactlyInAnyOrder("servfail", "dnssec-signed");
  }

  @Test
  void refusesANameNoScenarioHasRatherThanRunNothing() {
    assertThatThrownBy(() -> ResolverMatrix.chosenScenarios("servfail,servfial"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[servfial]")
        .hasMessageContaining("dnslab.matrix.scenarios");
  }
}
