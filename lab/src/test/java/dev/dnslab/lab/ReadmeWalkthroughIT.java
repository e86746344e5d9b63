package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.testing.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's dig walk-through against the embedded lab with the real dig, and checks that
 * every record line the README shows appears in dig's output (a line ending in "..." by its start:
 * the signed lab's keys, digests and signatures differ per lab). The README stays true or this fails.
 */
class ReadmeWalkthroughIT {
  private static final Path README = Path.of("../README.md");
  private static EmbeddedLab lab;

  @BeforeAll
  static void start() throws Exception {
    lab = EmbeddedLab.builder().plan(AddressPlan.EMBEDDED.withDnsPort(0)).zones(Path.of("../zones"))
        .withRecursor().encryptedDnsPorts(0, 0).stateDir(Files.createTempDirectory("dnslab-readme"))
        .build().start();
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  record Step(String command, List<String> expectedLines) {}

  static List<Step> walkthrough() throws Exception {
    String text = Files.readString(README);
    int start = text.indexOf("<!-- walkthrough:start -->");
    int end = text.indexOf("<!-- walkthrough:end -->");
    assertThat(start).as("README walkthrough markers").isPositive();
    List<Step> steps = new ArrayList<>();
    for (String line : text.substring(start, end).split("\n")) {
      if (line.startsWith("$ ")) {
        steps.add(new Step(line.substring(2).strip(), new ArrayList<>()));
      } else if (!line.isBlank() && !line.startsWith(";;") && !line.startsWith("```") && !line.startsWith("<!--")) {
        steps.get(steps.size() - 1).expectedLines().add(normalise(line));
      }
    }
    return steps;
  }

  @Test
  void everyCommandOfTheReadmeWalkthroughShowsItsLines() throws Exception {
    Tool.DIG.require();
    List<Step> steps = walkthrough();
    assertThat(steps).hasSizeGreaterThanOrEqualTo(6);
    for (Step step : steps) {
      List<String> command = new ArrayList<>(Arrays.asList(step.command().split("\\s+")));
      assertThat(command.get(0)).isEqualTo("dig");
      command.add(1, "-p");
      command.add(2, String.valueOf(lab.plan().dnsPort()));
      String output = ExternalCommand.run(command);
      List<String> outputLines = output.lines().map(ReadmeWalkthroughIT::normalise).toList();
      assertThat(step.expectedLines()).as(step.command()).isNotEmpty();
      for (String expected : step.expectedLines()) {
        // A line ending in "..." stands for whatever varies from lab to lab (key data, digests,
        // signatures and their dates): the output must have a line that starts with the rest.
        assertThat(outputLines).as(step.command() + "\n" + output).anyMatch(expected.endsWith(" ...")
            ? line -> line.startsWith(expected.substring(0, expected.length() - 3))
            : expected::equals);
      }
    }
  }

  private static String normalise(String line) {
    return line.strip().replaceAll("\\s+", " ");
  }
}
