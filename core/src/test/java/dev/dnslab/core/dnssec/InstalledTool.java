package dev.dnslab.core.dnssec;

import dev.dnslab.testing.Tool;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a checker the tests need; a missing one skips (or in CI fails) through {@link Tool}. */
final class InstalledTool {
  static final Tool LDNS_VERIFY_ZONE = Tool.LDNS_VERIFY_ZONE;
  static final Tool LDNS_KEY2DS = Tool.executable("ldns-key2ds", "ldnsutils");
  static final Tool DNSSEC_VERIFY = Tool.DNSSEC_VERIFY;
  static final Tool DNSSEC_DSFROMKEY = Tool.executable("dnssec-dsfromkey", "bind9-utils");
  static final Tool NAMED_CHECKCONF = Tool.NAMED_CHECKCONF;

  private InstalledTool() {}

  /** What one run printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {}

  static Result run(Tool tool, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(tool.require()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
