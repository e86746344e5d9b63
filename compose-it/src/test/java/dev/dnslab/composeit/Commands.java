package dev.dnslab.composeit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command line to completion (stdout and stderr merged, or stderr after stdout) with a deadline. */
final class Commands {
  private Commands() {}

  static CommandResult run(Path directory, Map<String, String> env, Duration timeout, List<String> command) {
    return run(directory, env, timeout, command, true);
  }

  /**
   * As {@link #run(Path, Map, Duration, List)}, but with stderr kept apart and put after stdout in
   * the result's output (after a "-- stderr --" line): every stdout line whole. An attached
   * {@code docker run} copies the container's two streams as they come, so merged, a stderr line
   * can land inside a long stdout line (seen once in CI: a check report's JSON line cut in two),
   * where a container runtime's log (CRI, what {@code kubectl logs} reads) keeps each stream's
   * lines whole.
   */
  static CommandResult runStdoutFirst(Path directory, Map<String, String> env, Duration timeout, List<String> command) {
    return run(directory, env, timeout, command, false);
  }

  private static CommandResult run(
      Path directory, Map<String, String> env, Duration timeout, List<String> command, boolean merged) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(merged);
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new CommandResult(command, 127, "cannot start: " + e.getMessage());
    }
    try {
      process.getOutputStream().close(); // no stdin: `compose exec -T` and friends see EOF, not a hang
    } catch (IOException ignored) {
      // the process may already be gone; its exit status tells
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> copy(process.getInputStream(), output), "output of " + command.get(0));
    Thread errorReader = new Thread(() -> copy(process.getErrorStream(), errors), "errors of " + command.get(0));
    reader.start();
    errorReader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        reader.join(1000);
        errorReader.join(1000);
        return new CommandResult(command, 124, "timed out after " + timeout + "\n" + text(output, errors));
      }
      reader.join(5000);
      errorReader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return new CommandResult(command, 130, "interrupted\n" + text(output, errors));
    }
    return new CommandResult(command, process.exitValue(), text(output, errors));
  }

  static boolean available(List<String> command) {
    return run(Path.of("."), Map.of(), Duration.ofSeconds(30), command).succeeded();
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        synchronized (out) {
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** stdout, then stderr after a line of its own when there is any (merged: always empty). */
  private static String text(ByteArrayOutputStream out, ByteArrayOutputStream err) {
    String errors = text(err);
    return errors.isEmpty() ? text(out) : text(out) + "\n-- stderr --\n" + errors;
  }
}
