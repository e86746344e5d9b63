package dev.dnslab.recursor;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.zone.RootHints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
  /** Test-only zones: truncation, dead and lame servers, a forbidden upstream. */
  static final Path SCENARIO_ZONES = Path.of("src", "test", "resources", "scenario-zones");

  private static final int ATTEMPTS = 10;

  private final List<AuthorityServer> servers = new ArrayList<>();
  private AddressPlan plan;

  static LabHierarchy start(Path zones) throws Exception {
    return start(zones, 0);
  }

  /** Starts on a random 127.54-127.60 network; {@code port} 0 picks a free one. */
  static LabHierarchy start(Path zones, int port) throws Exception {
    BindException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      Cidr network = Cidr.parse("127." + random.nextInt(54, 61) + "." + random.nextInt(1, 255) + ".0/24");
      LabHierarchy lab = new LabHierarchy();
      try {
        lab.startOn(new AddressPlan(network, port, 0), zones);
        return lab;
      } catch (BindException e) {
        lab.close();
        last = e;
      }
    }
    throw last;
  }

  private void startOn(AddressPlan requested, Path zones) throws Exception {
    plan = requested;
    for (LabRole role : List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE)) {
      AuthorityServer server = new AuthorityServer(AuthorityConfig.builder(role.serviceName())
          .listen(plan.dnsAddress(role)).admin(plan.adminAddress(role))
          .zoneSources(List.of(zones.resolve(role.zoneDirectory()))).zoneRewrite(plan.zoneRewrite())
          .transferClients(Cidr.LOOPBACK).threads(1).build());
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

  int port() {
    return plan.dnsPort();
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
