package dev.dnslab.junit.matrix;

import dev.dnslab.junit.Lab;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's Unbound, iterating from the lab's root hints. The config keeps it on loopback: the hints
 * name only the lab root, there is no forward-zone, no trust anchor (nothing to fetch), and every
 * upstream query leaves from 127.0.0.1, which the kernel cannot route off the machine.
 */
final class Unbound implements ResolverUnderTest {
  static final Path BINARY = Path.of("/usr/sbin/unbound");

  private InetSocketAddress address;
  private DaemonProcess process;

  @Override
  public String name() {
    return "unbound";
  }

  @Override
  public void start(Lab lab, Path dir) throws Exception {
    // A host of the lab's random /24 that no lab server uses, on port 53: nobody else's.
    address = new InetSocketAddress(lab.address(RESOLVER_HOST), 53);
    String listen = address.getAddress().getHostAddress();
    Path conf = dir.resolve("unbound.conf");
    Files.writeString(conf, String.join("\n",
        "server:",
        "  interface: " + listen + "@53",
        "  port: 53",
        "  do-daemonize: no",
        "  chroot: \"\"",
        "  username: \"\"",
        "  directory: \"" + dir + "\"",
        "  pidfile: \"" + dir.resolve("unbound.pid") + "\"",
        "  use-syslog: no",
        "  logfile: \"\"",
        "  verbosity: 1",
        "  num-threads: 1",
        "  do-ip6: no",
        "  access-control: 127.0.0.0/8 allow",
        // The lab lives on loopback, which Unbound refuses to query by default.
        "  do-not-query-localhost: no",
        // Only the lab's root; no built-in hints are used when a file is given.
        "  root-hints: \"" + lab.rootHints() + "\"",
        // Upstream queries leave from loopback, so they can only ever reach loopback.
        "  outgoing-interface: 127.0.0.1",
        // No DNSSEC: the lab is unsigned, and a trust anchor would want updating from the Internet.
        "  module-config: \"iterator\"",
        "  trust-anchor-signaling: no",
        "  root-key-sentinel: no",
        "  qname-minimisation: yes",
        "remote-control:",
        "  control-enable: no",
        ""));
    process = DaemonProcess.start(List.of(BINARY.toString(), "-d", "-c", conf.toString()), dir, dir.resolve("unbound.log"));
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public String log() {
    return process == null ? "" : process.log();
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
