package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The signed lab, exported and served by three real NSDs (root, TLD and authoritative, as in the
 * lab), validates in a real Unbound that trusts only the lab's anchor: signed names come back with
 * AD (RFC 4035 3.2.3), names in or behind the unsigned zones without it. Unbound asks name servers
 * on port 53 only, so the NSDs listen on port 53 of a random 127.x.y.0/24 (run under the heavy-test
 * lock).
 */
class UnboundValidatesSignedLabIT {
  @TempDir Path keyDir;
  @TempDir Path dir;

  /** Query, rcode, and whether Unbound must have validated the answer (AD). */
  record Expectation(String name, int type, int rcode, boolean authenticated) {}

  static final List<Expectation> EXPECTATIONS = List.of(
      new Expectation("www.google.com.", Type.A, Rcode.NOERROR, true), // 8 -> 13 NSEC3 opt-out -> 13 CSK
      new Expectation("nosuch.google.com.", Type.A, Rcode.NXDOMAIN, true), // NSEC denial
      new Expectation("www.example.co.kr.", Type.A, Rcode.NOERROR, true), // 8 -> 13 -> 15 -> 13, NSEC3
      new Expectation("nosuch.example.co.kr.", Type.A, Rcode.NXDOMAIN, true), // NSEC3 denial
      new Expectation("any.blog.example.co.kr.", Type.A, Rcode.NOERROR, true), // wildcard + NSEC3 proof
      new Expectation("console.example.org.", Type.A, Rcode.NOERROR, false), // insecure: org's NSEC proves no DS
      new Expectation("www.naver.com.", Type.A, Rcode.NOERROR, false)); // CNAME into opt-out nheos.com

  @Test
  void unboundValidatesTheSignedLabFromTheLabAnchor() throws Exception {
    InstalledTool nsd = InstalledTool.require("nsd", "nsd");
    InstalledTool unbound = InstalledTool.require("unbound", "unbound");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    AddressPlan plan = AddressPlan.EMBEDDED.withNetwork(
        Cidr.parse("127." + random.nextInt(54, 61) + "." + random.nextInt(1, 255) + ".0/24"));
    assumeTrue(canBindPort53(plan.address(LabRole.ROOT)), "NSD must listen on port 53: run as root");
    SignedLab lab = SignedLab.sign(keyDir, Instant.now(), plan.zoneRewrite());
    Path zones = dir.resolve("zones");
    lab.export(zones);

    List<ServerProcess> servers = new ArrayList<>();
    try {
      for (LabRole role : List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE)) {
        servers.add(startNsd(nsd, role, plan.address(role), lab, zones));
      }
      ServerProcess resolver = startUnbound(unbound, plan.address(LabRole.ROOT), lab);
      servers.add(resolver);

      List<String> wrong = new ArrayList<>();
      for (Expectation expected : EXPECTATIONS) {
        Message answer = resolver.query(Name.fromString(expected.name()), expected.type(), true);
        boolean authenticated = answer.getHeader().getFlag(Flags.AD);
        if (answer.getRcode() != expected.rcode() || authenticated != expected.authenticated()
            || (expected.rcode() == Rcode.NOERROR && answer.getSection(Section.ANSWER).isEmpty())) {
          wrong.add(expected + " got " + Rcode.string(answer.getRcode()) + " AD=" + authenticated + "\n" + answer);
        }
      }

      assertThat(wrong).as("unbound log:\n" + resolver.log()).isEmpty();
    } finally {
      for (ServerProcess server : servers) {
        server.close();
      }
    }
  }

  private ServerProcess startNsd(InstalledTool nsd, LabRole role, InetAddress address, SignedLab lab, Path zones)
      throws Exception {
    Path run = Files.createDirectories(dir.resolve("nsd-" + role.zoneDirectory()));
    StringBuilder config = new StringBuilder(String.join("\n",
        "server:",
        "  ip-address: " + address.getHostAddress() + "@53",
        "  do-ip6: no",
        "  username: \"\"",
        "  chroot: \"\"",
        "  database: \"\"",
        "  zonesdir: \"" + zones + "\"",
        "  zonelistfile: \"" + run.resolve("zone.list") + "\"",
        "  xfrdfile: \"" + run.resolve("xfrd.state") + "\"",
        "  pidfile: \"" + run.resolve("nsd.pid") + "\"",
        "  logfile: \"" + run.resolve("nsd.log") + "\"",
        "  server-count: 1",
        "  rrl-ratelimit: 0", // Debian's NSD limits answers per /24 by default; a resolver is one client
        "remote-control:",
        "  control-enable: no",
        ""));
    Name first = null;
    for (Map.Entry<Name, String> zone : lab.folders.entrySet()) {
      if (zone.getValue().equals(role.zoneDirectory())) {
        first = first == null ? zone.getKey() : first;
        config.append("zone:\n  name: \"").append(zone.getKey()).append("\"\n  zonefile: \"")
            .append(zones.resolve(SignedZoneWriter.fileName(zone.getKey()))).append("\"\n");
      }
    }
    Path file = run.resolve("nsd.conf");
    Files.writeString(file, config);
    return ServerProcess.start(List.of(nsd.path().toString(), "-d", "-c", file.toString()),
        new InetSocketAddress(address, 53), run.resolve("nsd.out"), first);
  }

  private ServerProcess startUnbound(InstalledTool unbound, InetAddress root, SignedLab lab) throws Exception {
    Path run = Files.createDirectories(dir.resolve("unbound"));
    int port;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      port = probe.getLocalPort();
    }
    Path hints = run.resolve("root.hints");
    Files.writeString(hints, ". 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A " + root.getHostAddress() + "\n");
    TrustAnchor anchor = TrustAnchor.of(lab.zone(".").keys());
    Path anchorFile = run.resolve("lab-root.key");
    Files.writeString(anchorFile, anchor.anchorFileText());
    Path config = run.resolve("unbound.conf");
    Files.writeString(config, TrustAnchorFormat.UNBOUND.render(anchor, anchorFile) + String.join("\n",
        "  interface: 127.0.0.1@" + port,
        "  port: " + port,
        "  do-daemonize: no",
        "  chroot: \"\"",
        "  username: \"\"",
        "  directory: \"" + run + "\"",
        "  pidfile: \"" + run.resolve("unbound.pid") + "\"",
        "  use-syslog: no",
        "  logfile: \"" + run.resolve("unbound.log") + "\"",
        "  verbosity: 1",
        "  val-log-level: 2",
        "  num-threads: 1",
        "  do-ip6: no",
        "  do-not-query-localhost: no",
        "  access-control: 127.0.0.0/8 allow",
        "  root-hints: \"" + hints + "\"",
        "  module-config: \"validator iterator\"",
        "remote-control:",
        "  control-enable: no",
        ""));
    return ServerProcess.start(List.of(unbound.path().toString(), "-d", "-c", config.toString()),
        new InetSocketAddress("127.0.0.1", port), run.resolve("unbound.out"), Name.root);
  }

  private static boolean canBindPort53(InetAddress address) {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 53))) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
