package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README documents every flag the command has and every metric the server exports. */
class ReadmeTest {
  private static String readme() throws Exception {
    return Files.readString(Path.of("README.md"));
  }

  @Test
  void documentsEveryCommandLineFlag() throws Exception {
    String readme = readme();

    new CommandLine(new WebServerMain())
        .getCommandSpec()
        .options()
        .stream()
        .filter(option -> !option.usageHelp() && !option.versionHelp())
        .forEach(option -> assertThat(readme).as(option.longestName()).contains("`" + option.longestName() + "`"));
  }

  @Test
  void documentsEveryMetric() throws Exception {
    String readme = readme();

    for (String metric : new String[] {"web_requests_total", "web_response_bytes_total", "web_request_duration_seconds", "web_rejected_total"}) {
      assertThat(readme).contains("`" + metric + "`");
    }
  }
}
