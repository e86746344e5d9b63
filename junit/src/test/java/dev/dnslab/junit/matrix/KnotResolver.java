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
 * Debian's Knot Resolver (kresd), iterating from the lab's root. The config keeps it on loopback:
 * {@code hints.root} replaces the built-in root hints with the lab root, the built-in root trust
 * anchor is removed (RFC 5011 updates would ask the real root for keys) and, when validating, the
 * lab's is read from a file without updates; IPv6 is off, and
 * every upstream query leaves from 127.0.0.1, which the kernel cannot route off the machine.
 */
final class KnotResolver extends DaemonResolver {
  KnotResolver(boolean validating) {
    super(validating);
  }

  @Override
  public String name() {
    return "knot-resolver";
  }

  @Override
  DaemonProcess startDaemon(Lab lab, Path dir, InetSocketAddress address) throws Exception {
    String listen = address.getAddress().getHostAddress();
    String root = lab.root().getAddress().getHostAddress();
    Path conf = dir.resolve("kresd.conf");
    Files.writeString(conf, String.join("\n",
        "net.ipv6 = false",
        "net.listen('" + listen + "', 53, { kind = 'dns' })",
        // Upstream queries leave from loopback, so they can only ever reach loopback.
        "net.outgoing_v4('127.0.0.1')",
        "cache.open(10 * MB, 'lmdb://" + dir.resolve("cache") + "')",
        validating() ? lab.trustAnchorConfig(TrustAnchorFormat.KNOT_RESOLVER) : "trust_anchors.remove('.')",
        "modules.load('hints > iterate')",
        // Only the lab's root server; this replaces the built-in root hints.
        "hints.root({ ['a.root-servers.net.'] = '" + root + "' })",
        // kresd ignores name server addresses in loopback and private ranges unless a query carries
        // ALLOW_LOCAL: the lab is all loopback, so every query does.
        "policy.add(policy.all(policy.FLAGS({ 'ALLOW_LOCAL' })))",
        "log_level('info')",
        ""));
    Files.createDirectories(dir.resolve("cache"));
    return DaemonProcess.start(List.of(Tool.KRESD.require(), "-n", "-c", conf.toString(), dir.toString()), dir, dir.resolve("kresd.log"));
  }
}
