package dev.dnslab.junit.matrix;

import dev.dnslab.core.dnssec.TrustAnchorFormat;
import dev.dnslab.junit.Lab;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.Tool;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's PowerDNS Recursor. {@code hint-file} names only the lab root; {@code dont-query} is
 * emptied, because by default it refuses to ask servers in 127.0.0.0/8, where the lab lives; DNSSEC
 * is off, or validates from the lab's anchor (a {@code lua-config-file} that clears the built-in
 * one); the security poll (a query to powerdns.com) is off; every upstream query leaves from
 * 127.0.0.1, which the kernel cannot route off the machine.
 */
final class PowerDnsRecursor extends DaemonResolver {
  PowerDnsRecursor(boolean validating) {
    super(validating);
  }

  @Override
  public String name() {
    return "pdns-recursor";
  }

  @Override
  DaemonProcess startDaemon(Lab lab, Path dir, InetSocketAddress address) throws Exception {
    String listen = address.getAddress().getHostAddress();
    Files.writeString(dir.resolve("recursor.conf"), "");
    Path anchor = Files.writeString(dir.resolve("anchor.lua"),
        validating() ? lab.trustAnchorConfig(TrustAnchorFormat.POWERDNS_RECURSOR) : "");
    return DaemonProcess.start(List.of(Tool.PDNS_RECURSOR.require(),
        "--daemon=no",
        "--config-dir=" + dir,
        "--socket-dir=" + dir,
        "--local-address=" + listen,
        "--local-port=53",
        "--hint-file=" + lab.rootHints(),
        "--dont-query=",
        "--query-local-address=127.0.0.1",
        "--security-poll-suffix=",
        validating() ? "--dnssec=validate" : "--dnssec=off",
        "--lua-config-file=" + anchor,
        "--threads=1",
        "--setuid=root",
        "--setgid=root",
        "--allow-from=127.0.0.0/8"), dir, dir.resolve("pdns_recursor.log"));
  }
}
