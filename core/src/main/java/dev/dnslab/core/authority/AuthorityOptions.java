package dev.dnslab.core.authority;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The command-line options shared by root-ns, tld-ns and authoritative-ns (a picocli mixin). Each
 * role's main creates it with its own role, which sets the defaults: the role's lab address and its
 * folder under {@code zones/}.
 */
public final class AuthorityOptions {
  private final LabRole role;

  @Option(
      names = "--address",
      description = "Address to listen on (default: the role's lab address, e.g. 127.53.0.11 for root).")
  String address;

  @Option(
      names = "--port",
      description = "DNS port for UDP and TCP (default: ${DEFAULT-VALUE}). 0 picks a free port.")
  int port = AddressPlan.DEFAULT_DNS_PORT;

  @Option(names = "--admin-port", description = "Admin HTTP port (default: ${DEFAULT-VALUE}).")
  int adminPort = AddressPlan.DEFAULT_ADMIN_PORT;

  @Option(
      names = "--lab-network",
      description =
          "The /24 the lab lives in (default: ${DEFAULT-VALUE}). Zone files are written for"
              + " 127.53.0.0/24; other networks keep each host number (compose: 172.28.53.0/24).")
  String labNetwork = AddressPlan.ZONE_FILE_NETWORK.toString();

  @Option(
      names = "--zones",
      paramLabel = "PATH",
      description = "Zone files or folders of NAME.zone files (default: zones/<role> or the bundled copy).")
  List<Path> zones = new ArrayList<>();

  @Option(
      names = "--axfr-allow",
      paramLabel = "CIDR",
      split = ",",
      description = "Clients allowed to transfer zones (default: 127.0.0.0/8,::1).")
  List<String> axfrAllow = new ArrayList<>(List.of("127.0.0.0/8", "::1/128"));

  @Option(names = "--threads", description = "DNS event-loop threads (default: one per core).")
  int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

  public AuthorityOptions(LabRole role) {
    this.role = role;
  }

  public LabRole role() {
    return role;
  }

  public AddressPlan plan() {
    return new AddressPlan(Cidr.parse(labNetwork), port, adminPort);
  }

  /** The server configuration these options describe. */
  public AuthorityConfig toConfig() {
    AddressPlan plan = plan();
    InetAddress listenAddress = address == null ? plan.address(role) : literal(address);
    List<Path> sources = zones.isEmpty() ? List.of(BundledZones.locate().resolve(role.zoneDirectory())) : zones;
    return AuthorityConfig.builder(role.serviceName())
        .listen(new InetSocketAddress(listenAddress, port))
        .admin(new InetSocketAddress(listenAddress, adminPort))
        .zoneSources(sources)
        .zoneRewrite(plan.zoneRewrite())
        .transferClients(Cidr.parseAll(axfrAllow))
        .threads(threads)
        .build();
  }

  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(Cidr.parse(address).network().getHostAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--address: " + address, e);
    }
  }
}
