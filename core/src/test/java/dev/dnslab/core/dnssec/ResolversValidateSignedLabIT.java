package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.FreePort;
import dev.dnslab.testing.Tool;
import dev.dnslab.testing.UnboundDaemon;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The signed lab, exported and served by three real NSDs (root, TLD and authoritative, as in the
 * lab), validates in each real resolver configured with nothing but the lab's trust anchor in the
 * form {@link TrustAnchorFormat} renders for it: signed names come back with AD (RFC 4035 3.2.3,
 * RFC 6840 5.7), names in or behind the unsigned zones without it. Resolvers ask name servers on
 * port 53 only, so the NSDs listen on port 53 of a random 127.x.y.0/24 (run under the heavy-test
 * lock).
 */
class ResolversValidateSignedLabIT {
  @TempDir static Path keyDir;
  @TempDir static Path dir;
  static AddressPlan plan;
  static SignedLab lab;
  static final List<DaemonProcess> nameServers = new ArrayList<>();

  /** Query, rcode, and whether the resolver must have validated the answer (AD). */
  record Expectation(String name, int type, int rcode, boolean authenticated) {}

  static final List<Expectation> EXPECTATIONS = List.of(
      new Expectation("www.google.com.", Type.A, Rcode.NOERROR, true), // 8 -> 13 NSEC3 opt-out -> 13 CSK
      new Expectation("nosuch.google.com.", Type.A, Rcode.NXDOMAIN, true), // NSEC denial
      new Expectation("www.example.co.kr.", Type.A, Rcode.NOERROR, true), // 8 -> 13 -> 15 -> 13, NSEC3
      new Expectation("nosuch.example.co.kr.", Type.A, Rcode.NXDOMAIN, true), // NSEC3 denial
      new Expectation("any.blog.example.co.kr.", Type.A, Rcode.NOERROR, true), // wildcard + NSEC3 proof
      new Expectation("console.example.org.", Type.A, Rcode.NOERROR, false), // insecure: org's NSEC proves no DS
      new Expectation("www.naver.com.", Type.A, Rcode.NOERROR, false)); // CNAME into opt-out nheos.com

  @BeforeAll
  static void serveTheSignedLab() throws Exception {
    String nsd = Tool.NSD.require();
    Tool.PORT_53.require();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    plan = AddressPlan.EMBEDDED.withNetwork(
        Cidr.parse("127." + random.nextInt(54, 61) + "." + random.nextInt(1, 255) + ".0/24"));
    lab = SignedLab.sign(keyDir, Instant.now(), plan.zoneRewrite());
    Path zones = dir.resolve("zones");
    lab.export(zones);
    for (LabRole role : List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE)) {
      nameServers.add(startNsd(nsd, role, plan.address(role), zones));
    }
  }

  @AfterAll
  static void stopNameServers() {
    nameServers.forEach(DaemonProcess::close);
  }

  @ParameterizedTest
  @EnumSource(TrustAnchorFormat.class)
  void validatesTheSignedLabFromTheLabAnchor(TrustAnchorFormat format) throws Exception {
    Path run = Files.createDirectories(dir.resolve(format.cliName()));
    TrustAnchor anchor = TrustAnchor.of(lab.zone(".").keys());
    Path anchorFile = run.resolve("lab-root.key");
    Files.writeString(anchorFile, anchor.anchorFileText());
    Path hints = UnboundDaemon.writeRootHints(run, plan.address(LabRole.ROOT));

    try (Resolver resolver = switch (format) {
      case UNBOUND -> startUnbound(run, format.render(anchor, anchorFile), hints);
      case BIND -> startBind(run, format.render(anchor, anchorFile), hints);
      case KNOT_RESOLVER -> startKnotResolver(run, format.render(anchor, anchorFile));
      case POWERDNS_RECURSOR -> startPowerDnsRecursor(run, format.render(anchor, anchorFile), hints);
    }) {
      List<String> wrong = new ArrayList<>();
      for (Expectation expected : EXPECTATIONS) {
        Message answer = resolver.query(Name.fromString(expected.name()), expected.type());
        boolean authenticated = answer.getHeader().getFlag(Flags.AD);
        if (answer.getRcode() != expected.rcode() || authenticated != expected.authenticated()
            || (expected.rcode() == Rcode.NOERROR && answer.getSection(Section.ANSWER).isEmpty())) {
          wrong.add(expected + " got " + Rcode.string(answer.getRcode()) + " AD=" + authenticated + "\n" + answer);
        }
      }

      assertThat(wrong).as(format + " log:\n" + resolver.log()).isEmpty();
    }
  }

  private static DaemonProcess startNsd(String nsd, LabRole role, InetAddress address, Path zones)
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
    for (Map.Entry<Name, String> zone : lab.folders.entrySet()) {
      if (zone.getValue().equals(role.zoneDirectory())) {
        config.append("zone:\n  name: \"").append(zone.getKey()).append("\"\n  zonefile: \"")
            .append(zones.resolve(SignedZoneWriter.fileName(zone.getKey()))).append("\"\n");
      }
    }
    Path file = run.resolve("nsd.conf");
    Files.writeString(file, config);
    return DaemonProcess.start(List.of(nsd, "-d", "-c", file.toString()), run, run.resolve("nsd.out"))
        .awaitAnswering(new InetSocketAddress(address, 53), DaemonProcess.STARTUP);
  }

  private static Resolver startUnbound(Path run, String anchorConfig, Path hints) throws Exception {
    String unbound = Tool.UNBOUND.require();
    int port = FreePort.find();
    Path config = run.resolve("unbound.conf");
    Files.writeString(config, anchorConfig + String.join("\n",
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
        "  outgoing-interface: 127.0.0.1",
        "  module-config: \"validator iterator\"",
        "remote-control:",
        "  control-enable: no",
        ""));
    return Resolver.start(List.of(unbound, "-d", "-c", config.toString()), run,
        new InetSocketAddress("127.0.0.1", port));
  }

  private static Resolver startBind(Path run, String anchorConfig, Path hints) throws Exception {
    String named = Tool.NAMED.require();
    int port = FreePort.find();
    Path config = run.resolve("named.conf");
    Files.writeString(config, String.join("\n",
        "options {",
        "  directory \"" + run + "\";",
        "  pid-file \"" + run.resolve("named.pid") + "\";",
        "  listen-on port " + port + " { 127.0.0.1; };",
        "  listen-on-v6 { none; };",
        "  recursion yes;",
        "  allow-query { 127.0.0.0/8; };",
        "  allow-recursion { 127.0.0.0/8; };",
        "  dnssec-validation yes;",
        "  query-source address 127.0.0.1;",
        "  notify no;",
        "};",
        "controls { };",
        // The lab's root, in place of the Internet's: BIND must never prime from its built-in hints.
        "zone \".\" { type hint; file \"" + hints + "\"; };",
        anchorConfig));
    return Resolver.start(List.of(named, "-g", "-4", "-n", "1", "-u", "root", "-c", config.toString()), run,
        new InetSocketAddress("127.0.0.1", port));
  }

  private static Resolver startKnotResolver(Path run, String anchorConfig) throws Exception {
    String kresd = Tool.KRESD.require();
    InetAddress listen = plan.address(LabRole.RECURSOR); // a host of the random /24 no NSD uses
    Path config = run.resolve("kresd.conf");
    Files.createDirectories(run.resolve("cache"));
    Files.writeString(config, String.join("\n",
        "net.ipv6 = false",
        "net.listen('" + listen.getHostAddress() + "', 53, { kind = 'dns' })",
        "net.outgoing_v4('127.0.0.1')",
        "cache.open(10 * MB, 'lmdb://" + run.resolve("cache") + "')",
        "modules.load('hints > iterate')",
        "hints.root({ ['a.root-servers.net.'] = '" + plan.address(LabRole.ROOT).getHostAddress() + "' })",
        // kresd ignores name servers on loopback unless a query carries ALLOW_LOCAL.
        "policy.add(policy.all(policy.FLAGS({ 'ALLOW_LOCAL' })))",
        anchorConfig));
    return Resolver.start(List.of(kresd, "-n", "-c", config.toString(), run.toString()), run,
        new InetSocketAddress(listen, 53));
  }

  private static Resolver startPowerDnsRecursor(Path run, String anchorConfig, Path hints) throws Exception {
    String recursor = Tool.PDNS_RECURSOR.require();
    InetAddress listen = plan.address(LabRole.RECURSOR);
    Files.writeString(run.resolve("recursor.conf"), "");
    Path lua = Files.writeString(run.resolve("anchor.lua"), anchorConfig);
    return Resolver.start(List.of(recursor,
        "--daemon=no",
        "--config-dir=" + run,
        "--socket-dir=" + run,
        "--local-address=" + listen.getHostAddress(),
        "--local-port=53",
        "--hint-file=" + hints,
        "--dont-query=",
        "--query-local-address=127.0.0.1",
        "--security-poll-suffix=",
        "--dnssec=validate",
        "--lua-config-file=" + lua,
        "--threads=1",
        "--setuid=root",
        "--setgid=root",
        "--allow-from=127.0.0.0/8"), run, new InetSocketAddress(listen, 53));
  }

  /** A started validating resolver and the address it answers on. */
  private record Resolver(DaemonProcess process, InetSocketAddress address) implements AutoCloseable {
    static Resolver start(List<String> command, Path run, InetSocketAddress address) throws IOException {
      DaemonProcess process = DaemonProcess.start(command, run, run.resolve("resolver.log"));
      return new Resolver(process.awaitAnswering(address, DaemonProcess.STARTUP), address);
    }

    /** A recursive query with the DO bit (RFC 3225), so the resolver reports AD (RFC 6840 5.7). */
    Message query(Name name, int type) throws IOException {
      SimpleResolver client = new SimpleResolver(address);
      client.setTimeout(Duration.ofSeconds(5));
      client.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
      return client.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    }

    String log() {
      return process.log();
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
