package dev.dnslab.cli.visit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PNG of the page as headless Chromium draws it. Chromium is told where the host is
 * ({@code --host-resolver-rules}, the address the walk found) and that every other name does not
 * exist, and its background traffic is off: it never reaches the Internet. Each run gets a fresh
 * profile directory, deleted afterwards.
 */
final class ChromiumScreenshot {
  private static final long TIMEOUT_SECONDS = 60;
  private static final List<String> CANDIDATES = List.of("chromium", "chromium-browser", "google-chrome");

  private ChromiumScreenshot() {}

  /** The Chromium on PATH, or null. */
  static String find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String name : CANDIDATES) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    return null;
  }

  /** The flags every lab Chromium run uses: headless, no sandbox (root), no background traffic. */
  static List<String> baseFlags(Path profile) {
    return List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--user-data-dir=" + profile);
  }

  /** Takes the screenshot; returns null on success, else why it failed. */
  static String take(String chromium, String url, String host, String address, int port, Path output) {
    Path profile = null;
    try {
      profile = Files.createTempDirectory("dnslab-chromium-");
      List<String> command = new ArrayList<>();
      command.add(chromium);
      command.addAll(baseFlags(profile));
      command.add("--host-resolver-rules=MAP " + host + " " + address + ":" + port + ", MAP * ~NOTFOUND");
      command.add("--ignore-certificate-errors");
      command.add("--hide-scrollbars");
      command.add("--window-size=1024,768");
      command.add("--screenshot=" + output.toAbsolutePath());
      command.add(url);
      Files.deleteIfExists(output);
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "chromium did not finish within " + TIMEOUT_SECONDS + " s";
      }
      return Files.isRegularFile(output) && Files.size(output) > 0 ? null
          : "chromium exited with " + process.exitValue() + " and wrote no " + output;
    } catch (IOException e) {
      return "chromium failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } finally {
      deleteTree(profile);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temporary profile left behind is harmless.
    }
  }
}
