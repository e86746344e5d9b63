package dev.dnslab.testing;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A program or a permission that some test needs, with the Debian package that provides it. Whether
 * it is here is found once per test JVM; {@link #require()} then skips the test (or, under {@code
 * -Ddnslab.requireTools=true}, fails it) with a message naming what to install.
 *
 * <pre>{@code
 * String unbound = Tool.UNBOUND.require();   // skipped on a laptop without unbound, failed in CI
 * }</pre>
 */
public final class Tool {
  public static final Tool DIG = executable("dig", "dnsutils");
  public static final Tool KDIG = executable("kdig", "knot-dnsutils");
  public static final Tool DRILL = executable("drill", "ldnsutils");
  public static final Tool UNBOUND = executable("unbound", "unbound");
  public static final Tool UNBOUND_CHECKCONF = executable("unbound-checkconf", "unbound");
  public static final Tool KRESD = executable("kresd", "knot-resolver");
  public static final Tool NAMED = executable("named", "bind9");
  public static final Tool PDNS_RECURSOR = executable("pdns_recursor", "pdns-recursor");
  public static final Tool NSD = executable("nsd", "nsd");
  /** Offline DNSSEC zone checks by NLnet Labs' ldns and ISC's BIND, and BIND's config checker. */
  public static final Tool LDNS_VERIFY_ZONE = executable("ldns-verify-zone", "ldnsutils");
  public static final Tool DNSSEC_VERIFY = executable("dnssec-verify", "bind9-utils");
  public static final Tool NAMED_CHECKCONF = executable("named-checkconf", "bind9-utils");
  public static final Tool CURL = executable("curl", "curl");
  public static final Tool CERTUTIL = executable("certutil", "libnss3-tools");
  /** kubectl, for {@code kubectl kustomize} (renders offline, no cluster needed). */
  public static final Tool KUBECTL = executable("kubectl", "kubernetes-client");
  /** Chromium under any of the names Debian and others give it. */
  public static final Tool CHROMIUM =
      new Tool("chromium", "chromium", List.of("chromium", "chromium-browser", "google-chrome"), path -> Optional.empty());
  /** iproute2's {@code ip}, for network namespaces (which also need {@link #ROOT}). */
  public static final Tool IP = executable("ip", "iproute2");
  public static final Tool UNSHARE = executable("unshare", "util-linux");
  /** tshark that can really capture on loopback: installed is not enough without the permission. */
  public static final Tool TSHARK = new Tool("tshark", "tshark", List.of("tshark"),
      // One second on lo with a filter nothing matches: exit 0 only if dumpcap could open the interface.
      tshark -> failureOf(List.of(tshark, "-i", "lo", "-a", "duration:1", "-f", "udp port 9"), 20)
          .map(error -> "tshark cannot capture on lo (run as root, or add the user to the wireshark group): " + error));
  /** The docker client and an engine that answers it. */
  public static final Tool DOCKER = new Tool("docker", "docker.io", List.of("docker"),
      docker -> failureOf(List.of(docker, "info", "--format", "{{.ServerVersion}}"), 30)
          .map(error -> "no Docker engine answers `docker info`: " + error));
  /** Root, for network and mount namespaces. */
  public static final Tool ROOT = permission("root", Tool::isRoot,
      "not running as root (network and mount namespaces need it): run the tests as root");
  /** Binding port 53 on loopback: root, or CAP_NET_BIND_SERVICE (RFC 1035 4.2.1: DNS is port 53). */
  public static final Tool PORT_53 = permission("port 53", Tool::canBindPort53,
      "cannot bind port 53 on loopback: run as root or grant CAP_NET_BIND_SERVICE");

  private final String program;
  private final String debianPackage;
  private final List<String> names;
  private final Function<String, Optional<String>> unusableBecause;
  private final BooleanSupplier granted;
  private final String deniedBecause;
  private volatile Presence presence;

  private Tool(String program, String debianPackage, List<String> names, Function<String, Optional<String>> unusableBecause) {
    this.program = requireNonNull(program, "program");
    this.debianPackage = requireNonNull(debianPackage, "debianPackage");
    this.names = List.copyOf(names);
    this.unusableBecause = unusableBecause;
    this.granted = null;
    this.deniedBecause = null;
  }

  private Tool(String permission, BooleanSupplier granted, String deniedBecause) {
    this.program = permission;
    this.debianPackage = null;
    this.names = List.of();
    this.unusableBecause = null;
    this.granted = granted;
    this.deniedBecause = deniedBecause;
  }

  /** A program found on PATH (or in the sbin folders) and provided by {@code debianPackage}. */
  public static Tool executable(String program, String debianPackage) {
    return new Tool(program, debianPackage, List.of(program), path -> Optional.empty());
  }

  private static Tool permission(String name, BooleanSupplier granted, String deniedBecause) {
    return new Tool(name, granted, deniedBecause);
  }

  /** What the test calls it: the program's name, or the permission. */
  public String program() {
    return program;
  }

  /** The Debian package to install; null for a permission (root, port 53). */
  public String debianPackage() {
    return debianPackage;
  }

  /** Whether the tool is here and usable; probed once per JVM. */
  public boolean isPresent() {
    return presence().path() != null;
  }

  /**
   * The tool's path (or, for a permission, a description), when present; otherwise skips the calling
   * test, or fails it when {@code dnslab.requireTools} is true.
   */
  public String require() {
    Presence presence = presence();
    if (presence.path() == null) {
      RequiredTools.missing(presence.reason());
    }
    return presence.path();
  }

  private Presence presence() {
    Presence known = presence;
    if (known == null) {
      known = probe();
      presence = known;
    }
    return known;
  }

  private Presence probe() {
    if (granted != null) {
      return granted.getAsBoolean() ? new Presence(program, null) : new Presence(null, deniedBecause);
    }
    Optional<String> found = find();
    if (found.isEmpty()) {
      return new Presence(null, program + " is not installed: apt-get install " + debianPackage
          + " (scripts/install-test-deps.sh installs every tool the tests use)");
    }
    Optional<String> unusable = unusableBecause.apply(found.get());
    return unusable.isPresent() ? new Presence(null, unusable.get() + " (Debian package " + debianPackage + ")")
        : new Presence(found.get(), null);
  }

  /** The executable, searched on PATH and then in the sbin folders a non-root PATH often lacks. */
  private Optional<String> find() {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
    for (String name : names) {
      for (String dir : dirs) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
          return Optional.of(Path.of(dir, name).toString());
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isRoot() {
    try {
      // /proc/self belongs to the user this process runs as.
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static boolean canBindPort53() {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.250.250.250"), 53))) {
      return socket.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  /** Runs a probe command; empty when it exits 0 within {@code seconds}, else what went wrong. */
  static Optional<String> failureOf(List<String> command, long seconds) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.of(String.join(" ", command) + " gave no answer within " + seconds + " s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return process.exitValue() == 0 ? Optional.empty()
          : Optional.of("exit " + process.exitValue() + (output.isEmpty() ? "" : ": " + lastLine(output)));
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  private static String lastLine(String output) {
    String[] lines = output.split("\n");
    return lines[lines.length - 1].strip();
  }

  @Override
  public String toString() {
    return program;
  }

  private record Presence(String path, String reason) {}
}
