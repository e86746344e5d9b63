package dev.dnslab.cli.visit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.Tool;
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
 * loopback. Namespace and file are removed afterwards. Needs root, iproute2 and Chromium; without
 * them it is skipped (failed under -Ddnslab.requireTools=true).
 */
class ChromiumThroughTheLabIT {
  private static final long READY_TIMEOUT_SECONDS = 60;

  @TempDir Path state;

  @Test
  void chromiumLoadsWwwGoogleComThroughTheLabRecursor() throws Exception {
    String dom = inNamespaceWithLab("nameserver 127.53.0.53\n", List.of(), null);

    assertThat(dom).contains("<title>Google (dnslab)</title>", "You are looking at <b>www.google.com</b>");
  }

  /**
   * DNS over HTTPS only: the namespace's resolv.conf names a server that does not exist, so the page
   * loads only if Chromium asks the recursor's DoH endpoint, trusting the lab CA from an NSS database
   * in a HOME made for this run (never the machine's). The DoH policy is a per-run file too:
   * /etc/netns/NAME/chromium is bind-mounted over /etc/chromium for the namespace's processes only,
   * so the machine's browser policies are never touched.
   */
  @Test
  void chromiumLoadsWwwGoogleComOverDnsOverHttps(@TempDir Path home) throws Exception {
    Tool.CERTUTIL.require();
    RequiredTools.require(Files.isDirectory(Path.of("/etc/chromium")),
        "no /etc/chromium to overlay with a per-run policy (Debian package chromium makes it)");

    String dom = inNamespaceWithLab("nameserver 127.0.0.9\n", List.of(), home);

    assertThat(dom).contains("<title>Google (dnslab)</title>");
  }

  private String inNamespaceWithLab(String resolvConf, List<String> chromiumFlags, Path home) throws Exception {
    String chromium = HeadlessChromium.require();
    RequiredTools.require(Tool.ROOT, Tool.IP);

    String namespace = "dnslab-it-" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    Path netnsEtc = Path.of("/etc/netns", namespace);
    boolean hadNetnsEtc = Files.isDirectory(netnsEtc.getParent());
    Process lab = null;
    try {
      run("ip", "netns", "add", namespace);
      run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
      // A veth pair with both ends inside the namespace and a default route into it: Chromium then
      // believes it is online (with only lo it reports ERR_INTERNET_DISCONNECTED), and whatever it
      // sends there ends at the other end, in the same namespace, and is dropped: no way out.
      run("ip", "netns", "exec", namespace, "ip", "link", "add", "lab0", "type", "veth", "peer", "name", "lab1");
      run("ip", "netns", "exec", namespace, "ip", "addr", "add", "192.0.2.1/24", "dev", "lab0");
      run("ip", "netns", "exec", namespace, "ip", "link", "set", "lab0", "up");
      run("ip", "netns", "exec", namespace, "ip", "link", "set", "lab1", "up");
      run("ip", "netns", "exec", namespace, "ip", "route", "add", "default", "dev", "lab0");
      Files.createDirectories(netnsEtc);
      Files.writeString(netnsEtc.resolve("resolv.conf"), resolvConf);
      if (home != null) {
        Path chromiumEtc = Files.createDirectories(netnsEtc.resolve("chromium/policies/managed"));
        try (var files = Files.list(Path.of("/etc/chromium"))) {
          for (Path file : (Iterable<Path>) files::iterator) {
            if (Files.isRegularFile(file)) {
              Files.copy(file, netnsEtc.resolve("chromium").resolve(file.getFileName()));
            }
          }
        }
        Files.writeString(chromiumEtc.resolve("dnslab-doh.json"),
            "{\"DnsOverHttpsMode\": \"secure\", \"DnsOverHttpsTemplates\": \"https://127.53.0.53/dns-query{?dns}\"}\n");
      }

      lab = new ProcessBuilder("ip", "netns", "exec", namespace,
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), NetnsLab.class.getName(),
          Path.of("../zones").toAbsolutePath().toString(), Path.of("../sites").toAbsolutePath().toString(),
          state.toString())
          .redirectError(Path.of("target", "netns-lab.log").toFile()).start();
      awaitReady(lab);
      if (home != null) {
        Path nssdb = Files.createDirectories(home.resolve(".pki/nssdb"));
        run("certutil", "-d", "sql:" + nssdb, "-N", "--empty-password");
        run("certutil", "-d", "sql:" + nssdb, "-A", "-n", "dnslab-ca", "-t", "C,,", "-i", state.resolve("ca.pem").toString());
      }

      Path profile = Files.createTempDirectory("dnslab-chromium-netns-");
      String dom;
      try {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        if (home != null) {
          command.addAll(List.of("env", "HOME=" + home));
        }
        command.add(chromium);
        command.addAll(chromiumFlags);
        command.addAll(ChromiumScreenshot.baseFlags(profile));
        command.addAll(List.of("--disable-features=HttpsUpgrades", "--virtual-time-budget=10000", "--enable-logging=stderr", "--v=1", "--dump-dom",
            "http://www.google.com/"));
        dom = run(Path.of("target", "chromium-netns.log"), command.toArray(String[]::new));
      } finally {
        ChromiumScreenshot.deleteTree(profile);
      }

      return dom;
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
        try {
          Files.deleteIfExists(netnsEtc.getParent());
        } catch (java.nio.file.DirectoryNotEmptyException e) {
          // Another namespace (another run, or the machine's own) uses /etc/netns now: leave it.
        }
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
    return run(null, command);
  }

  private static String run(Path log, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command)
        .redirectError(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
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
