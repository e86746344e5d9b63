package dev.dnslab.cli.visit;

import dev.dnslab.testing.Tool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium for tests: a fresh profile per run (deleted afterwards), no background
 * traffic, and a host-resolver rule that maps the lab names and makes every other name NOTFOUND, so
 * it never reaches the Internet.
 */
final class HeadlessChromium {
  private static final long TIMEOUT_SECONDS = 90;

  private HeadlessChromium() {}

  /** The Chromium to run; skips (or fails, under -Ddnslab.requireTools=true) without one. */
  static String require() {
    return Tool.CHROMIUM.require();
  }

  /** Runs Chromium with {@code extra} flags then {@code url}; returns stdout (the DOM with --dump-dom). */
  static String run(String chromium, List<String> extra, String url, Path home) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("dnslab-chromium-test-");
    try {
      List<String> command = new ArrayList<>();
      command.add(chromium);
      command.addAll(ChromiumScreenshot.baseFlags(profile));
      command.addAll(extra);
      command.add(url);
      // Chromium's log (console messages included with --enable-logging=stderr) is kept for a failing test.
      Path log = Path.of("target", "chromium-stderr.log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (home != null) {
        builder.environment().put("HOME", home.toString());
      }
      Process process = builder.start();
      byte[] out;
      try (var in = process.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("chromium did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      ChromiumScreenshot.deleteTree(profile);
    }
  }
}
