package dev.dnslab.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.scenario.ScenarioException;
import dev.dnslab.core.zone.ZoneLoadException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Zone and scenario errors share one base and keep the messages they always had. */
class ConfigFileExceptionTest {
  private static final Path ZONE = Path.of("zones/tld/com.zone");
  private static final Path SCENARIO = Path.of("scenarios/typo.yaml");

  @Test
  void rendersFileLineAndReason() {
    ConfigFileException zone = new ZoneLoadException(ZONE, 14, "ns1.example.com. has no glue");
    ConfigFileException scenario = new ScenarioException(SCENARIO, 5, "unknown key 'msec'");

    assertThat(zone).hasMessage("zones/tld/com.zone:14: ns1.example.com. has no glue");
    assertThat(scenario).hasMessage("scenarios/typo.yaml:5: unknown key 'msec'");
  }

  @Test
  void zoneErrorWithoutLineNamesOnlyTheFile() {
    assertThat(new ZoneLoadException(ZONE, 0, "no SOA")).hasMessage("zones/tld/com.zone: no SOA");
  }

  @Test
  void scenarioErrorWithoutLineKeepsLineZero() {
    assertThat(new ScenarioException(SCENARIO, 0, "empty scenario")).hasMessage("scenarios/typo.yaml:0: empty scenario");
  }

  @Test
  void keepsFileLineAndReasonApart() {
    ConfigFileException e = new ZoneLoadException(ZONE, 14, "ns1.example.com. has no glue");

    assertThat(e.file()).isEqualTo(ZONE);
    assertThat(e.line()).isEqualTo(14);
    assertThat(e.reason()).isEqualTo("ns1.example.com. has no glue");
  }
}
