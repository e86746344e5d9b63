package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code dnslab root-hints}: hints naming only the lab root. */
class RootHintsCommandTest {
  static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new DnslabCommand());
    command.setOut(new PrintWriter(out));
    assertThat(command.execute(args)).isZero();
    return out.toString();
  }

  @Test
  void namesOnlyTheLabRoot() {
    String hints = run("root-hints");

    assertThat(hints.lines().filter(line -> !line.startsWith(";")))
        .containsExactly(
            ".                        3600000  NS  a.root-servers.net.",
            "a.root-servers.net.      3600000  A   127.53.0.11");
  }

  @Test
  void followsTheLabNetwork() {
    assertThat(run("root-hints", "--lab-network", "127.77.3.0/24")).contains("A   127.77.3.11");
  }

  @Test
  void notesThatHintsCarryNoPort() {
    assertThat(run("root-hints")).doesNotContain("NOTE");
    assertThat(run("root-hints", "--port", "5353"))
        .contains("; NOTE: the lab listens on port 5353, but hints and referrals carry no port");
  }
}
