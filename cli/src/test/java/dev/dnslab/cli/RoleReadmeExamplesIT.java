package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.Poll;
import dev.dnslab.lab.ExternalCommand;
import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the Examples block of each authority role's README with the real fat jar, dig and curl. */
class RoleReadmeExamplesIT {
  @ParameterizedTest
  @ValueSource(strings = {"root-ns", "tld-ns", "authoritative-ns"})
  void readmeExamplesWork(String module) throws Exception {
    RequiredTools.require(Tool.DIG, Tool.CURL);
    List<String> lines = examples(Path.of("..", module, "README.md"));
    assertThat(lines).hasSize(3);
    List<String> start = new ArrayList<>(Arrays.asList(lines.get(0).split("\\s+")));
    start.set(start.indexOf("cli/target/dnslab.jar"), Path.of("target/dnslab.jar").toAbsolutePath().toString());
    Process server = new ProcessBuilder(start).redirectErrorStream(true)
        .redirectOutput(Path.of("target", module + "-example.log").toFile()).start();
    try {
      List<String> dig = Arrays.asList(lines.get(1).split("\\s+"));
      String[] output = new String[1];
      Poll.until(Duration.ofSeconds(20), () -> {
        try {
          output[0] = ExternalCommand.run(dig);
          return output[0].contains("status: NOERROR");
        } catch (Exception | AssertionError notYet) {
          return false;
        }
      }, lines.get(1));
      assertThat(output[0]).contains("IN\tA").doesNotContain("status: REFUSED");
      String zones = ExternalCommand.run(Arrays.asList(lines.get(2).split("\\s+")));
      assertThat(zones).contains("\"serial\" : 2026112501");
    } finally {
      server.destroy(); // SIGTERM, as docker stop and Ctrl-C send
      boolean exited = server.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      if (!exited) {
        server.destroyForcibly();
      }
      assertThat(exited).as(module + " exits on SIGTERM").isTrue();
    }
  }

  private static List<String> examples(Path readme) throws Exception {
    String text = Files.readString(readme);
    String block = text.substring(text.indexOf("## Examples"));
    block = block.substring(block.indexOf("```bash") + 7, block.indexOf("```", block.indexOf("```bash") + 7));
    return block.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}
