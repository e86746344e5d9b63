package dev.dnslab.core.dnssec;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Debian command a test runs. A missing one skips the test with the package to install (CI
 * installs them with scripts/install-test-deps.sh).
 */
record InstalledTool(Path path) {
  /** The command on the PATH, or the test is skipped naming {@code debianPackage}. */
  static InstalledTool require(String command, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return new InstalledTool(candidate);
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return new InstalledTool(Path.of(dir, command));
      }
    }
    assumeTrue(false, command + " is not installed (apt-get install " + debianPackage + ")");
    throw new AssertionError("unreachable");
  }

  /** What one run printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {}

  Result run(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(path.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
