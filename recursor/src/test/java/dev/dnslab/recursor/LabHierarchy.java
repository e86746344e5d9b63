package dev.dnslab.recursor;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.authority.DnssecSigning;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioReader;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.zone.RootHints;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import java.util.stream.Stream;

/**
 * Root, TLD and authoritative servers from a zones folder ({@code root/}, {@code tld/}, {@code
 * authoritative/}), on .11/.12/.13 of a random 127.x.y.0/24 so that parallel test runs do not
 * collide, sharing one free port (a referral carries addresses, never ports). What the lab
 * module's EmbeddedLab does, without depending on it (lab depends on recursor).
 */
final class LabHierarchy implements AutoCloseable {
  /** The real lab zones, as shipped in the repository. */
  static final Path LAB_ZONES = Path.of("..", "zones");
  /** The shipped fault scenarios. */
  static final Path SCENARIOS = Path.of("..", "scenarios");
  /** Test-only zones: truncation, dead and lame servers, a forbidden upstream. */
  static final Path SCENARIO_ZONES = Path.of("src", "test", "resources", "scenario-zones");

  private static final int ATTEMPTS = 10;

  private final List<AuthorityServer> servers = new ArrayList<>();
  private AddressPlan plan;
  // Null for an unsigned hierarchy.
  private ZoneSigner signer;

  static LabHierarchy start(Path zones) throws Exception {
    return start(zones, 0);
  }

  /**
   * The hierarchy signed as the lab signs it (the policy in {@code zones/dnssec.yaml}), its keys
   * made in {@code stateDir/keys}: {@link #trustAnchor()} is then its root's anchor.
   */
  static LabHierarchy startSigned(Path zones, Path stateDir) throws Exception {
    return startSigned(zones, stateDir, role -> List.of());
  }

  /** {@link #startSigned(Path, Path)}, each role's server running {@code interceptors} before its zones. */
  static LabHierarchy startSigned(Path zones, Path stateDir, Function<LabRole, List<DnsHandler>> interceptors)
      throws Exception {
    return start(zones, 0, ZoneSigner.forLab(stateDir, zones), interceptors);
  }

  /**
   * The lab zones signed, with a shipped scenario ({@code ../scenarios/NAME.yaml}) laid over them:
   * its zones and its faults (the DNSSEC ones re-sign with the lab's keys in {@code stateDir}).
   */
  static LabHierarchy startSigned(String scenario, Path stateDir, int port) throws Exception {
    Scenario loaded = ScenarioReader.read(SCENARIOS.resolve(scenario + ".yaml"));
    Path zones = loaded.zones(LAB_ZONES);
    return start(zones, port, ZoneSigner.forLab(stateDir, zones),
        loaded.interceptors(new QueryJournal(), KeyDirectory.inStateDir(stateDir)));
  }

  /** Starts on a random 127.54-127.60 network; {@code port} 0 picks a free one. */
  static LabHierarchy start(Path zones, int port) throws Exception {
    return start(zones, port, null, role -> List.of());
  }

  private static LabHierarchy start(Path zones, int port, ZoneSigner signer,
      Function<LabRole, List<DnsHandler>> interceptors) throws Exception {
    BindException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      Cidr network = Cidr.parse("127." + random.nextInt(54, 61) + "." + random.nextInt(1, 255) + ".0/24");
      LabHierarchy lab = new LabHierarchy();
      lab.signer = signer;
      try {
        lab.startOn(new AddressPlan(network, port, 0), zones, interceptors);
        return lab;
      } catch (BindException e) {
        lab.close();
        last = e;
      }
    }
    throw last;
  }

  private void startOn(AddressPlan requested, Path zones, Function<LabRole, List<DnsHandler>> interceptors)
      throws Exception {
    plan = requested;
    for (LabRole role : List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE)) {
      AuthorityServer server = new AuthorityServer(AuthorityConfig.builder(role.serviceName())
          .listen(plan.dnsAddress(role)).admin(plan.adminAddress(role))
          .zoneSources(List.of(zones.resolve(role.zoneDirectory()))).zoneRewrite(plan.zoneRewrite())
          .transferClients(Cidr.LOOPBACK).threads(1).interceptors(interceptors.apply(role))
          .dnssec(signer == null ? null : DnssecSigning.of(signer)).build());
      servers.add(server);
      server.start();
      plan = new AddressPlan(plan.network(), server.dnsAddress().getPort(), 0);
    }
  }

  /**
   * A copy of {@code zones} under target/ with {@code zoneFile} laid over {@code role}'s folder, as a
   * scenario's {@code zones:} does: a file named like a lab zone replaces it.
   */
  static Path overlay(Path zones, LabRole role, Path zoneFile) {
    try {
      Path copy = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "zones-");
      try (Stream<Path> files = Files.walk(zones)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path target = copy.resolve(zones.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        }
      }
      Files.copy(zoneFile, copy.resolve(role.zoneDirectory()).resolve(zoneFile.getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server of {@code role} (root, TLD or authoritative). */
  AuthorityServer server(LabRole role) {
    return servers.get(List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE).indexOf(role));
  }

  AddressPlan plan() {
    return plan;
  }

  /** Root, TLD and authoritative, in that order. */
  List<AuthorityServer> servers() {
    return List.copyOf(servers);
  }

  int port() {
    return plan.dnsPort();
  }

  /** The root's trust anchor of a signed hierarchy (RFC 4035 4.4). */
  TrustAnchor trustAnchor() {
    if (signer == null) {
      throw new IllegalStateException("unsigned hierarchy: no trust anchor");
    }
    return TrustAnchor.of(signer.keyDirectory().load(Name.root).orElseThrow());
  }

  /** The questions of {@code qtype} this hierarchy's servers have been asked, over every transport. */
  double requests(int qtype) {
    return servers.stream()
        .flatMap(server -> server.registry().find(DnsMetrics.REQUESTS).tag("qtype", Type.string(qtype)).counters()
            .stream())
        .mapToDouble(Counter::count)
        .sum();
  }

  /** A recursor configuration aimed at this hierarchy: its root, its port, its network only. */
  RecursorConfig.Builder recursorConfig() {
    return RecursorConfig.builder()
        .listen(new java.net.InetSocketAddress("127.0.0.1", 0))
        .admin(new java.net.InetSocketAddress("127.0.0.1", 0))
        .rootHints(RootHints.lab(plan))
        .upstreamPort(plan.dnsPort())
        .allowedUpstreams(List.of(plan.network()))
        .labNetworks(List.of(plan.network()))
        .threads(2);
  }

  @Override
  public void close() {
    servers.forEach(AuthorityServer::close);
    servers.clear();
  }
}
