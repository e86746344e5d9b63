package dev.dnslab.core.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a child process with SIGHUP at its default disposition, whatever the test's own: a build
 * run under {@code nohup} (or by a parent that ignores SIGHUP) hands the ignored signal down to
 * every process it starts, and a JVM cannot trap an ignored SIGHUP, so a test of SIGHUP reloads
 * would fail for a reason outside the code under test. coreutils' {@code env --default-signal}
 * (8.31 and later) resets it before exec; where env lacks it (macOS), the command runs as given.
 */
public final class HangupDefault {
  private static final boolean ENV_RESETS = probe();

  private HangupDefault() {}

  /** {@code command}, run with SIGHUP at its default disposition where env can arrange that. */
  public static List<String> command(List<String> command) {
    if (!ENV_RESETS) {
      return command;
    }
    List<String> reset = new ArrayList<>(List.of("env", "--default-signal=HUP"));
    reset.addAll(command);
    return reset;
  }

  private static boolean probe() {
    try {
      Process env = new ProcessBuilder("env", "--default-signal=HUP", "true").redirectErrorStream(true).start();
      env.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return env.waitFor(10, TimeUnit.SECONDS) && env.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
