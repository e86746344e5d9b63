package dev.dnslab.junit.matrix;

import dev.dnslab.core.dnssec.TrustAnchorFormat;
import dev.dnslab.junit.Lab;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.FreePort;
import dev.dnslab.testing.Tool;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's BIND (named) as a resolver. BIND primes from its built-in root hints unless a hint zone
 * is given, so the config has {@code zone "." { type hint; }} with the lab's hints; DNSSEC
 * validation is off, or on with the lab's anchor as a static DS (the built-in trust anchor is never
 * used), rndc is off, and every upstream query leaves from 127.0.0.1, which the kernel cannot route off the machine.
 */
final class Bind extends DaemonResolver {
  Bind(boolean validating) {
    super(validating);
  }

  @Override
  public String name() {
    return "bind";
  }

  /** named listens only on addresses configured on an interface: 127.0.0.1, on a free port. */
  @Override
  InetSocketAddress listenAddress(Lab lab) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePort.find());
  }

  @Override
  DaemonProcess startDaemon(Lab lab, Path dir, InetSocketAddress address) throws Exception {
    Path conf = dir.resolve("named.conf");
    Files.writeString(conf, String.join("\n",
        "options {",
        "  directory \"" + dir + "\";",
        "  pid-file \"" + dir.resolve("named.pid") + "\";",
        "  listen-on port " + address.getPort() + " { 127.0.0.1; };",
        "  listen-on-v6 { none; };",
        "  recursion yes;",
        "  allow-query { 127.0.0.0/8; };",
        "  allow-recursion { 127.0.0.0/8; };",
        "  dnssec-validation " + (validating() ? "yes" : "no") + ";",
        "  query-source address 127.0.0.1;",
        "  notify no;",
        "};",
        "controls { };",
        // The lab's root, in place of the Internet's: BIND must never prime from its built-in hints.
        "zone \".\" { type hint; file \"" + lab.rootHints() + "\"; };",
        validating() ? lab.trustAnchorConfig(TrustAnchorFormat.BIND) : ""));
    return DaemonProcess.start(
        List.of(Tool.NAMED.require(), "-g", "-4", "-n", "1", "-u", "root", "-c", conf.toString()), dir, dir.resolve("named.log"));
  }
}
