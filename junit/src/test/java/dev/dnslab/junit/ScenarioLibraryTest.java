package dev.dnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The scenario library bundled in the jar. */
class ScenarioLibraryTest {
  @Test
  void listsEveryScenarioOfTheProjectFolder() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("..", "scenarios"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
              .map(n -> n.substring(0, n.length() - ".yaml".length())))
          .containsExactlyInAnyOrderElementsOf(ScenarioLibrary.NAMES);
    }
  }

  @Test
  void readmeDescribesEveryScenario() throws Exception {
    String readme = Files.readString(Path.of("..", "scenarios", "README.md"));
    for (String name : ScenarioLibrary.NAMES) {
      Scenario scenario = ScenarioLibrary.load(name);
      assertThat(readme).contains("| [`" + name + "`](" + name + ".yaml) | " + scenario.description()
          + " | " + scenario.correct() + " |");
    }
  }

  @Test
  void loadsAShippedScenarioWithItsZoneFilesByName() throws Exception {
    Scenario scenario = ScenarioLibrary.load("wrong-glue");

    assertThat(scenario.name()).isEqualTo("wrong-glue");
    assertThat(scenario.zoneFiles().values()).allSatisfy(files -> assertThat(files).allMatch(Files::isRegularFile));
  }

  @Test
  void loadsAScenarioFileByPath() throws Exception {
    assertThat(ScenarioLibrary.load(Path.of("..", "scenarios", "drop.yaml").toString()).name()).isEqualTo("drop");
  }

  @Test
  void namesTheShippedScenariosWhenANameIsUnknown() {
    assertThatThrownBy(() -> ScenarioLibrary.load("no-such-scenario"))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("no shipped scenario named 'no-such-scenario'")
        .hasMessageContaining("lame-delegation");
  }
}
