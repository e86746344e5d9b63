package dev.dnslab.core.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Any bytes as a scenario file: the reader either returns a scenario or rejects the file naming it
 * and the line at fault ({@code file:line: reason}); only "not YAML" without a mark and an empty
 * file may have no line. Nothing else escapes.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/dnslab/core/scenario/ScenarioReaderFuzzTestInputs}.
 */
class ScenarioReaderFuzzTest {
  private static final Path FILE = tempScenarioFile();

  private static final Set<String> WHOLE_FILE_REASONS = Set.of("not YAML", "empty scenario");

  private static Path tempScenarioFile() {
    try {
      Path dir = Files.createTempDirectory("dnslab-scenario-fuzz");
      dir.toFile().deleteOnExit();
      return dir.resolve("fuzz.yaml").toAbsolutePath().normalize();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void readsOrNamesFileAndLine(byte[] text) throws IOException {
    Files.write(FILE, text);
    try {
      Scenario scenario = ScenarioReader.read(FILE);
      assertThat(scenario.name()).isNotNull();
    } catch (ScenarioException e) {
      // YAML 1.1 (SnakeYAML) ends a line at CR, LF, CRLF, NEL, LS and PS; count the same way.
      long lines = new String(text, StandardCharsets.UTF_8).split("\r\n|[\r\n\u0085\u2028\u2029]", -1).length;
      assertThat(e.file()).isEqualTo(FILE);
      assertThat(e.line()).as("line of: %s", e.getMessage()).isBetween(0, (int) lines + 1);
      if (e.line() == 0) {
        assertThat(WHOLE_FILE_REASONS.stream().anyMatch(e.reason()::startsWith))
            .as("a rejection without a line must concern the whole file: %s", e.getMessage())
            .isTrue();
      }
    }
  }
}
