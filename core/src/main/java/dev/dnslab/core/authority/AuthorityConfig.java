package dev.dnslab.core.authority;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.server.DnsHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.xbill.DNS.Record;

/**
 * Everything an authority server (root, TLD or authoritative: they differ only in their zones)
 * needs to start.
 *
 * @param role the role name, used in logs and as the {@code role} metric tag
 * @param listen UDP and TCP address for DNS
 * @param admin address of the admin HTTP port
 * @param zoneSources zone files and directories of {@code *.zone} files
 * @param zoneRewrite applied to each record as it is loaded (the deployment's address plan)
 * @param transferClients who may AXFR (loopback by default)
 * @param threads event-loop threads for DNS
 * @param interceptors handlers run after EDNS and before the zone lookup (fault injection, query
 *     recording); empty for a plain server
 */
public record AuthorityConfig(
    String role,
    InetSocketAddress listen,
    InetSocketAddress admin,
    List<Path> zoneSources,
    UnaryOperator<Record> zoneRewrite,
    List<Cidr> transferClients,
    int threads,
    List<DnsHandler> interceptors) {

  public AuthorityConfig {
    requireNonNull(role, "role");
    requireNonNull(listen, "listen");
    requireNonNull(admin, "admin");
    zoneSources = List.copyOf(requireNonNull(zoneSources, "zoneSources"));
    requireNonNull(zoneRewrite, "zoneRewrite");
    transferClients = List.copyOf(requireNonNull(transferClients, "transferClients"));
    interceptors = List.copyOf(requireNonNull(interceptors, "interceptors"));
    if (zoneSources.isEmpty()) {
      throw new IllegalArgumentException("zoneSources: [] (expected: at least one zone file or directory)");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
  }

  /** The same configuration with {@code handlers} run before the zone lookup. */
  public AuthorityConfig withInterceptors(List<DnsHandler> handlers) {
    return new AuthorityConfig(role, listen, admin, zoneSources, zoneRewrite, transferClients, threads, handlers);
  }
}
