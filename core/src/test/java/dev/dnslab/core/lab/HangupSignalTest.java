package dev.dnslab.core.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.HangupDefault;
import dev.dnslab.core.testing.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP reaches a server's reload, or the server says plainly why it cannot. */
class HangupSignalTest {
  @TempDir Path dir;

  @Test
  void runsTheActionOnSighup() throws Exception {
    Process probe = start(HangupDefault.command(probeCommand()));
    try {
      Poll.until(Duration.ofSeconds(30), () -> output().contains("trapped=true"), "the probe trapped SIGHUP\n" + output());
      hangup(probe);
      Poll.until(Duration.ofSeconds(10), () -> output().contains("hangup received"), "the SIGHUP action ran\n" + output());
    } finally {
      stop(probe);
    }
  }

  @Test
  void warnsThatSighupCannotReloadWhenStartedWithItIgnored() throws Exception {
    // What nohup does: the shell ignores SIGHUP and execs the JVM, which inherits the disposition.
    List<String> ignoring = new ArrayList<>(List.of("sh", "-c", "trap '' HUP; exec \"$@\"", "sh"));
    ignoring.addAll(probeCommand());
    Process probe = start(ignoring);
    try {
      Poll.until(Duration.ofSeconds(30), () -> output().contains("trapped=false"), "the probe reports SIGHUP ignored\n" + output());
      assertThat(output()).contains("SIGHUP will not reload", "POST /reload");
      hangup(probe);
      // Ignored, as the JVM was told to: no action, and the process lives on.
      assertThat(probe.waitFor(1, TimeUnit.SECONDS)).as("the probe survives SIGHUP").isFalse();
      assertThat(output()).doesNotContain("hangup received");
    } finally {
      stop(probe);
    }
  }

  private static List<String> probeCommand() {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HangupProbe.class.getName());
  }

  private Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("probe.log").toFile()).start();
  }

  private static void hangup(Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -HUP").isTrue();
  }

  private String output() {
    try {
      return Files.readString(dir.resolve("probe.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
