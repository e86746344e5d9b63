package dev.dnslab.core.authority;

import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.dnssec.DnssecPolicyException;
import dev.dnslab.core.dnssec.DnssecPolicyReader;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.ratelimit.RateLimitOptions;
import dev.dnslab.core.tls.LabCertificateAuthority;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
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

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Where the lab's DNSSEC keys live, in keys/ (default: $DNSLAB_STATE_DIR or ~/.dnslab)."
          + " Every server of one lab must share it, so each parent publishes its child's DS.")
  Path stateDir;

  @Option(
      names = "--dnssec-policy",
      paramLabel = "FILE",
      description = "Which zones are signed and how (default: dnssec.yaml beside the zone folder, e.g."
          + " zones/dnssec.yaml; without one, every zone is signed with ECDSAP256SHA256 and NSEC).")
  Path dnssecPolicy;

  @Option(names = "--no-dnssec", description = "Serve the zones unsigned: no DNSKEY, RRSIG, DS or NSEC.")
  boolean noDnssec;

  @Mixin RateLimitOptions rateLimit = new RateLimitOptions();

  public AuthorityOptions(LabRole role) {
    this.role = role;
  }

  public LabRole role() {
    return role;
  }

  public AddressPlan plan() {
    return new AddressPlan(Cidr.parse(labNetwork), port, adminPort);
  }

  /**
   * The server configuration these options describe.
   *
   * @throws DnssecPolicyException when the DNSSEC policy file cannot be read
   */
  public AuthorityConfig toConfig() throws DnssecPolicyException {
    AddressPlan plan = plan();
    InetAddress listenAddress = address == null ? plan.address(role) : literal(address);
    List<Path> sources = zones.isEmpty() ? List.of(BundledZones.locate().resolve(role.zoneDirectory())) : zones;
    return AuthorityConfig.builder(role.serviceName())
        .dnssec(noDnssec ? null : DnssecSigning.of(signer(sources)))
        .listen(new InetSocketAddress(listenAddress, port))
        .admin(new InetSocketAddress(listenAddress, adminPort))
        .zoneSources(sources)
        .zoneRewrite(plan.zoneRewrite())
        .transferClients(Cidr.parseAll(axfrAllow))
        .threads(threads)
        .rateLimit(rateLimit.settings().orElse(null))
        .build();
  }

  /** The lab's signer: keys in the state dir, the policy named or the one beside the zone folder. */
  private ZoneSigner signer(List<Path> sources) throws DnssecPolicyException {
    KeyDirectory keys = KeyDirectory.inStateDir(stateDir != null ? stateDir : LabCertificateAuthority.defaultStateDir());
    if (dnssecPolicy != null) {
      if (!Files.isRegularFile(dnssecPolicy)) {
        throw new DnssecPolicyException(dnssecPolicy, 0, "no such DNSSEC policy file");
      }
      return new ZoneSigner(keys, DnssecPolicyReader.read(dnssecPolicy), SignatureWindow.DEFAULT);
    }
    // zones/root -> zones/dnssec.yaml; a single file zones/root/root.zone -> the same.
    Path first = sources.get(0).toAbsolutePath().normalize();
    Path folder = Files.isDirectory(first) ? first : first.getParent();
    Path policyDir = folder.getParent() != null ? folder.getParent() : folder;
    return new ZoneSigner(keys, DnssecPolicy.readIn(policyDir), SignatureWindow.DEFAULT);
  }

  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(Cidr.parse(address).network().getHostAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--address: " + address, e);
    }
  }
}
