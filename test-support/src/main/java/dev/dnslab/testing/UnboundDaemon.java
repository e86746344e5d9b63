package dev.dnslab.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Debian's Unbound as a test peer, iterating from a lab's root hints. The config keeps it on
 * loopback: the hints name only the lab root, there is no forward-zone and no trust anchor (nothing
 * to fetch; the lab is unsigned), and every upstream query leaves from 127.0.0.1, which the kernel
 * cannot route off the machine. Unbound asks name servers on port 53 only, so the lab it walks must
 * listen there.
 */
public final class UnboundDaemon {
  private UnboundDaemon() {}

  /**
   * Writes {@code unbound.conf} into {@code dir}, starts Unbound on {@code listen}, and returns it
   * once it answers; skips (or fails) the test when Unbound is not installed.
   */
  public static DaemonProcess start(Path dir, InetSocketAddress listen, Path rootHints) throws IOException {
    return start(dir, listen, rootHints, null);
  }

  /**
   * As {@link #start(Path, InetSocketAddress, Path)}, but validating (RFC 4035 5) from the trust
   * anchor in {@code trustAnchorFile} (DS or DNSKEY records, read as a static anchor), or not at all
   * when it is null.
   */
  public static DaemonProcess start(Path dir, InetSocketAddress listen, Path rootHints, Path trustAnchorFile)
      throws IOException {
    return start(dir, listen, rootHints, trustAnchorFile, List.of());
  }

  /**
   * As {@link #start(Path, InetSocketAddress, Path, Path)}, with more {@code server:} options, one
   * per entry, e.g. {@code "log-servfail: yes"} (the soak has Unbound log why it failed).
   */
  public static DaemonProcess start(
      Path dir, InetSocketAddress listen, Path rootHints, Path trustAnchorFile, List<String> serverOptions)
      throws IOException {
    return start(dir, listen, rootHints, trustAnchorFile, serverOptions, true);
  }

  /**
   * As {@link #start(Path, InetSocketAddress, Path, Path)}, for a lab that is not on loopback (test
   * containers on a bridge network): upstream queries leave from whatever address reaches the root
   * in {@code rootHints}, so keep that a network the test made.
   */
  public static DaemonProcess startForNetworkLab(Path dir, InetSocketAddress listen, Path rootHints, Path trustAnchorFile)
      throws IOException {
    return start(dir, listen, rootHints, trustAnchorFile, List.of(), false);
  }

  private static DaemonProcess start(Path dir, InetSocketAddress listen, Path rootHints, Path trustAnchorFile,
      List<String> serverOptions, boolean loopbackUpstream) throws IOException {
    String unbound = Tool.UNBOUND.require();
    Path conf = dir.resolve("unbound.conf");
    String address = listen.getAddress().getHostAddress();
    Files.writeString(conf, String.join("\n",
        "server:",
        "  interface: " + address + "@" + listen.getPort(),
        "  port: " + listen.getPort(),
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
        "  root-hints: \"" + rootHints + "\"",
        // Upstream queries leave from loopback, so they can only ever reach loopback.
        loopbackUpstream ? "  outgoing-interface: 127.0.0.1" : "",
        // Without an anchor no DNSSEC: the built-in one would want updating from the Internet.
        trustAnchorFile == null ? "  module-config: \"iterator\"" : "  module-config: \"validator iterator\"",
        trustAnchorFile == null ? "" : "  trust-anchor-file: \"" + trustAnchorFile + "\"",
        trustAnchorFile == null ? "" : "  val-log-level: 2",
        "  trust-anchor-signaling: no",
        "  root-key-sentinel: no",
        "  qname-minimisation: yes",
        serverOptions.stream().map(option -> "  " + option).collect(Collectors.joining("\n")),
        "remote-control:",
        "  control-enable: no",
        ""));
    DaemonProcess process = DaemonProcess.start(List.of(unbound, "-d", "-c", conf.toString()), dir, dir.resolve("unbound.log"));
    try {
      return process.awaitAnswering(listen, DaemonProcess.STARTUP);
    } catch (IOException e) {
      process.close();
      throw e;
    }
  }

  /** A root hints file in {@code dir} naming only {@code root} as a.root-servers.net. */
  public static Path writeRootHints(Path dir, InetAddress root) throws IOException {
    return Files.writeString(dir.resolve("root.hints"), ". 3600000 IN NS a.root-servers.net.\n"
        + "a.root-servers.net. 3600000 IN A " + root.getHostAddress() + "\n");
  }
}
