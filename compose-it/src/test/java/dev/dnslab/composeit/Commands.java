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

/** Runs a command line to completion (stdout and stderr merged) with a deadline. */
final class Commands {
  private Commands() {}

  static CommandResult run(Path directory, Map<String, String> env, Duration timeout, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
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
    Thread reader = new Thread(() -> copy(process.getInputStream(), output), "output of " + command.get(0));
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        reader.join(1000);
        return new CommandResult(command, 124, "timed out after " + timeout + "\n" + text(output));
      }
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return new CommandResult(command, 130, "interrupted\n" + text(output));
    }
    return new CommandResult(command, process.exitValue(), text(output));
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
}
