package dev.dnslab.lab.visit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real, unmodified Chromium resolves www.google.com through the lab recursor and shows the lab's
 * page. Chromium and the lab run in a network namespace made for this test, whose resolv.conf
 * (/etc/netns/NAME/resolv.conf, bind-mounted by {@code ip netns exec}) names the lab recursor; the
 * machine's /etc/resolv.conf is never touched, and the namespace has no route anywhere but its own
 * loopback. Namespace and file are removed afterwards. Needs root and iproute2; skipped otherwise.
 */
class ChromiumThroughTheLabIT {
  private static final long READY_TIMEOUT_SECONDS = 60;

  @TempDir Path state;

  @Test
  void chromiumLoadsWwwGoogleComThroughTheLabRecursor() throws Exception {
    String chromium = HeadlessChromium.require();
    assumeTrue(run("id", "-u").strip().equals("0"), "network namespaces need root");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "iproute2 missing");

    String namespace = "dnslab-it-" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    Path netnsEtc = Path.of("/etc/netns", namespace);
    boolean hadNetnsEtc = Files.isDirectory(netnsEtc.getParent());
    Process lab = null;
    try {
      run("ip", "netns", "add", namespace);
      run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
      Files.createDirectories(netnsEtc);
      Files.writeString(netnsEtc.resolve("resolv.conf"), "nameserver 127.53.0.53\n");

      lab = new ProcessBuilder("ip", "netns", "exec", namespace,
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), NetnsLab.class.getName(),
          Path.of("../zones").toAbsolutePath().toString(), Path.of("../sites").toAbsolutePath().toString(),
          state.toString())
          .redirectError(Path.of("target", "netns-lab.log").toFile()).start();
      awaitReady(lab);

      Path profile = Files.createTempDirectory("dnslab-chromium-netns-");
      String dom;
      try {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, chromium));
        command.addAll(ChromiumScreenshot.baseFlags(profile));
        command.addAll(List.of("--disable-features=HttpsUpgrades", "--virtual-time-budget=10000", "--dump-dom",
            "http://www.google.com/"));
        dom = run(command.toArray(String[]::new));
      } finally {
        ChromiumScreenshot.deleteTree(profile);
      }

      assertThat(dom).contains("<title>Google (dnslab)</title>", "You are looking at <b>www.google.com</b>");
    } finally {
      if (lab != null) {
        lab.getOutputStream().close();
        if (!lab.waitFor(10, TimeUnit.SECONDS)) {
          lab.destroy();
          lab.waitFor(5, TimeUnit.SECONDS);
        }
      }
      // Deleting the namespace ends anything still in it.
      runQuietly("ip", "netns", "delete", namespace);
      ChromiumScreenshot.deleteTree(netnsEtc);
      if (!hadNetnsEtc) {
        Files.deleteIfExists(netnsEtc.getParent());
      }
    }
  }

  private static void awaitReady(Process lab) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(lab.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      String line = out.readLine();
      if (line == null) {
        throw new IOException("the lab in the namespace exited; see target/netns-lab.log");
      }
      if (line.startsWith("READY")) {
        return;
      }
    }
    throw new IOException("the lab in the namespace did not start within " + READY_TIMEOUT_SECONDS + " s");
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": did not finish");
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": exit " + process.exitValue());
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static void runQuietly(String... command) {
    try {
      run(command);
    } catch (IOException | InterruptedException e) {
      // Cleanup is best effort; the namespace name is unique per run.
    }
  }
}
