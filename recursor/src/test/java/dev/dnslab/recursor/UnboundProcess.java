package dev.dnslab.recursor;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Type;

/**
 * A real Unbound, started in the foreground with its own config in a temporary folder, root hints
 * pointing at a lab root, and stopped by its PID (never by name).
 */
final class UnboundProcess implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/unbound");

  private final Process process;
  private final InetSocketAddress address;
  private final Path directory;

  private UnboundProcess(Process process, InetSocketAddress address, Path directory) {
    this.process = process;
    this.address = address;
    this.directory = directory;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Starts Unbound on 127.0.0.1 (a free port), iterating from {@code root} on port 53. */
  static UnboundProcess start(InetAddress root, Path directory) throws Exception {
    int port;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      port = probe.getLocalPort();
    }
    Path hints = directory.resolve("root.hints");
    Files.writeString(hints, ". 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A "
        + root.getHostAddress() + "\n");
    Path config = directory.resolve("unbound.conf");
    Files.writeString(config, String.join("\n",
        "server:",
        "  interface: 127.0.0.1@" + port,
        "  port: " + port,
        "  do-daemonize: no",
        "  chroot: \"\"",
        "  username: \"\"",
        "  directory: \"" + directory + "\"",
        "  pidfile: \"" + directory.resolve("unbound.pid") + "\"",
        "  use-syslog: no",
        "  logfile: \"" + directory.resolve("unbound.log") + "\"",
        "  verbosity: 1",
        "  num-threads: 1",
        "  do-ip6: no",
        "  do-not-query-localhost: no",
        "  access-control: 127.0.0.0/8 allow",
        "  root-hints: \"" + hints + "\"",
        "  module-config: \"iterator\"",
        "  qname-minimisation: yes",
        "remote-control:",
        "  control-enable: no",
        ""));
    Process process = new ProcessBuilder(BINARY.toString(), "-d", "-c", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve("unbound.out").toFile())
        .start();
    UnboundProcess unbound = new UnboundProcess(process, new InetSocketAddress("127.0.0.1", port), directory);
    unbound.awaitReady(Duration.ofSeconds(10));
    return unbound;
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("unbound exited: " + Files.readString(directory.resolve("unbound.out")));
      }
      try {
        Dig.query(address, "a.root-servers.net.", Type.A);
        return;
      } catch (IOException notYet) {
        // not listening yet: poll again
      }
    }
    close();
    throw new IOException("unbound did not answer within " + timeout);
  }

  InetSocketAddress address() {
    return address;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM to this PID only
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
