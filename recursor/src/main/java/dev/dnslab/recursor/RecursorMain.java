package dev.dnslab.recursor;

import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.core.lab.ForegroundRun;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BindAdvice;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.transport.ServerBinding;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.core.zone.RootHints;
import dev.dnslab.recursor.iterator.MinimisedQueryType;
import dev.dnslab.recursor.iterator.AddressFamilies;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import dev.dnslab.recursor.iterator.ServeStale;
import dev.dnslab.recursor.limit.ClientLimits;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The recursor on its own: {@code recursor --port 5353} serves 127.53.0.53:5353 and asks the lab's
 * servers on port 5353 too.
 */
@Command(
    name = "recursor",
    mixinStandardHelpOptions = true,
    description = "The lab's caching ISP recursor (default 127.53.0.53:53, root hints: the lab root).")
public final class RecursorMain implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RecursorMain.class);

  /** Exit status when the root hints or the trust anchor cannot be read (EX_DATAERR). */
  static final int EXIT_BAD_HINTS = 65;
  /** Exit status when a socket cannot be bound (EX_UNAVAILABLE). */
  static final int EXIT_CANNOT_BIND = 69;

  private static final long MIB = 1024 * 1024;

  @Option(names = "--address", description = "Address for DNS, DoH and DoT (default: ${DEFAULT-VALUE}).")
  String address = AddressPlan.EMBEDDED.address(LabRole.RECURSOR).getHostAddress();

  @Option(names = "--port", description = "DNS port, UDP and TCP (default: ${DEFAULT-VALUE}).")
  int port = AddressPlan.DEFAULT_DNS_PORT;

  @Option(names = "--upstream-port",
      description = "Port to ask the root, TLD and authoritative servers on (default: the --port value).")
  Integer upstreamPort;

  @Option(names = "--admin-port", description = "Admin HTTP port: /metrics /cache /trace (default: ${DEFAULT-VALUE}).")
  int adminPort = AddressPlan.DEFAULT_ADMIN_PORT;

  @Option(names = "--doh-port", description = "DNS over HTTPS port, -1 for off (default: ${DEFAULT-VALUE}).")
  int dohPort = RecursorConfig.DEFAULT_DOH_PORT;

  @Option(names = "--dot-port", description = "DNS over TLS port, -1 for off (default: ${DEFAULT-VALUE}).")
  int dotPort = RecursorConfig.DEFAULT_DOT_PORT;

  @Option(names = "--tcp-idle-timeout", paramLabel = "S",
      description = "Seconds a TCP connection with no query in flight may stay silent (default: ${DEFAULT-VALUE}).")
  long tcpIdleTimeout = IdleTimeouts.DEFAULT.tcp().toSeconds();

  @Option(names = "--dot-idle-timeout", paramLabel = "S", description = "Seconds a DoT connection with no query "
      + "in flight may stay silent, its TLS handshake included (default: ${DEFAULT-VALUE}).")
  long dotIdleTimeout = IdleTimeouts.DEFAULT.dot().toSeconds();

  @Option(names = "--doh-idle-timeout", paramLabel = "S", description = "Seconds a DoH connection with no query "
      + "in flight may stay silent, its TLS handshake included (default: ${DEFAULT-VALUE}).")
  long dohIdleTimeout = IdleTimeouts.DEFAULT.doh().toSeconds();

  @Option(names = "--root-hints", paramLabel = "FILE", description = "Root hints in zone-file syntax (default: the lab root at .11 of the lab network).")
  Path rootHints;

  @Option(names = "--lab-network", paramLabel = "CIDR",
      description = "The lab's /24: root hints at its .11 and upstream queries allowed there (default: ${DEFAULT-VALUE}).")
  String labNetwork = AddressPlan.ZONE_FILE_NETWORK.toString();

  @Option(names = "--also-listen", paramLabel = "ADDRESS",
      description = "Another address for plain DNS, DoT and DoH on the same ports, e.g. the recursor's IPv6 one; repeatable.")
  List<String> alsoListen = new ArrayList<>();

  @Option(names = "--no-ipv6", description = "Never ask a name server over IPv6 (AAAA glue is kept, not used).")
  boolean noIpv6;

  @Option(names = "--no-ipv4", description = "Never ask a name server over IPv4: only IPv6 name servers are asked.")
  boolean noIpv4;

  @Option(names = "--no-qname-minimisation", description = "Ask every server the full name (RFC 9156 off).")
  boolean noQnameMinimisation;

  @Option(names = "--qname-minimisation-type", paramLabel = "A|NS",
      description = "The QTYPE of minimised queries: A (RFC 9156 2.1) or NS (RFC 7816) (default: ${DEFAULT-VALUE}).")
  MinimisedQueryType minimisedQueryType = MinimisedQueryType.A;

  @Option(names = "--serve-stale", description = "Answer with data past its TTL, marked with EDE 3, when no "
      + "authority answers (RFC 8767; window 1 day, client timer 1.8 s, stale TTL 30 s).")
  boolean serveStale;

  @Option(names = "--trust-anchor", paramLabel = "FILE", description = "Validate DNSSEC from this trust anchor, "
      + "in any format `dnslab trust-anchor` writes (default: the lab root's key in the state dir's keys/).")
  Path trustAnchor;

  @Option(names = "--no-dnssec", description = "Do not validate DNSSEC: no DO upstream, never AD (RFC 4035 4.1).")
  boolean noDnssec;

  @Option(names = "--allow-client", paramLabel = "CIDR", description = "Clients served; repeatable (default: loopback and the lab networks).")
  List<String> allowClients = new ArrayList<>();

  @Option(names = "--allow-upstream", paramLabel = "CIDR", description = "Where queries may be sent; repeatable (default: the lab networks).")
  List<String> allowUpstreams = new ArrayList<>();

  @Option(names = "--state-dir", description = "Where the lab CA is kept (default: $DNSLAB_STATE_DIR or ~/.dnslab).")
  Path stateDir;

  // Either bound given alone is the only one, as --cache-size alone always was: a user who sizes
  // the cache by entries gets exactly that, and one who gives it memory is not capped by a count.
  @Option(names = "--cache-size", paramLabel = "N", description = "Most cache entries (default: "
      + RecursorConfig.DEFAULT_CACHE_MAX_ENTRIES + ", or none when only --cache-memory is given).")
  Integer cacheSize;

  @Option(names = "--cache-memory", paramLabel = "MIB", description = "Most heap the cache holds, MiB, estimated "
      + "(default: " + RecursorConfig.DEFAULT_CACHE_MAX_BYTES / MIB + ", or none when only --cache-size is given).")
  Integer cacheMemory;

  @Option(names = "--max-ttl", description = "Longest a record is cached, seconds (default: ${DEFAULT-VALUE}).")
  long maxTtl = TtlLimits.DEFAULT_MAX_TTL;

  @Option(names = "--min-ttl", description = "Shortest a record is cached, seconds (default: ${DEFAULT-VALUE}).")
  long minTtl = 0;

  @Option(names = "--threads", description = "DNS event-loop threads (default: one per CPU).")
  Integer threads;

  @Option(names = "--client-rate", paramLabel = "QPS",
      description = "Queries per second one client network may send, 0 for no limit (default: ${DEFAULT-VALUE}).")
  int clientRate = ClientLimits.DEFAULT_QUERIES_PER_SECOND;

  @Option(names = "--client-burst", paramLabel = "N",
      description = "Queries a quiet client network may send at once (default: twice --client-rate).")
  Integer clientBurst;

  @Option(names = "--client-max-outstanding", paramLabel = "N",
      description = "Queries of one client network answered at once, 0 for no limit (default: ${DEFAULT-VALUE}).")
  int clientMaxOutstanding = ClientLimits.DEFAULT_MAX_OUTSTANDING;

  @Option(names = "--client-ipv4-prefix", description = "IPv4 clients are limited per network of this prefix "
      + "length (default: ${DEFAULT-VALUE}).")
  int clientIpv4Prefix = ClientLimits.DEFAULT_IPV4_PREFIX;

  @Option(names = "--client-ipv6-prefix", description = "IPv6 clients are limited per network of this prefix "
      + "length (default: ${DEFAULT-VALUE}).")
  int clientIpv6Prefix = ClientLimits.DEFAULT_IPV6_PREFIX;

  @Option(names = "--client-limit-exempt", paramLabel = "CIDR",
      description = "Clients never rate- or outstanding-limited; repeatable (default: loopback).")
  List<String> clientLimitExempt = new ArrayList<>();

  @Option(names = "--max-ns-lookups", paramLabel = "N", description = "Glueless name servers of one delegation "
      + "whose addresses are looked up, the NXNSAttack cap (default: ${DEFAULT-VALUE}).")
  int maxNameServerLookups = ResolutionLimits.MAX_NAME_SERVER_LOOKUPS;

  /** The configuration these options describe. */
  RecursorConfig toConfig() throws IOException {
    InetAddress listenAddress = InetAddress.getByName(address);
    Cidr lab = Cidr.parse(labNetwork);
    AddressPlan plan = new AddressPlan(lab, port, adminPort);
    List<Cidr> upstreams = allowUpstreams.isEmpty()
        ? distinct(RecursorConfig.DEFAULT_UPSTREAMS, lab) : Cidr.parseAll(allowUpstreams);
    AddressFamilies families = families(plan);
    RecursorConfig.Builder builder = RecursorConfig.builder()
        .listen(new InetSocketAddress(listenAddress, port))
        .admin(new InetSocketAddress(listenAddress, adminPort))
        .doh(dohPort < 0 ? null : new InetSocketAddress(listenAddress, dohPort))
        .dot(dotPort < 0 ? null : new InetSocketAddress(listenAddress, dotPort))
        .rootHints(rootHints != null ? RootHints.load(rootHints)
            : families.ipv4() ? RootHints.lab(plan) : RootHints.labDualStack(plan))
        .upstreamPort(upstreamPort != null ? upstreamPort : port)
        .qnameMinimisation(!noQnameMinimisation)
        .minimisedQueryType(minimisedQueryType)
        .serveStale(serveStale ? ServeStale.RFC_8767 : null)
        .allowedClients(allowClients.isEmpty()
            ? distinct(RecursorConfig.DEFAULT_CLIENTS, lab) : Cidr.parseAll(allowClients))
        .allowedUpstreams(upstreams)
        .labNetworks(distinct(RecursorConfig.DEFAULT_UPSTREAMS, lab))
        .cacheMaxEntries(cacheMaxEntries())
        .cacheMaxBytes(cacheMaxBytes())
        .ttlLimits(new TtlLimits(minTtl, maxTtl, TtlLimits.DEFAULT_MAX_NEGATIVE_TTL, TtlLimits.DEFAULT_FAILURE_TTL))
        .stateDir(stateDir)
        .families(families)
        .alsoListen(addresses(alsoListen))
        .dnssec(dnssec())
        .clientLimits(new ClientLimits(clientRate, clientBurst != null ? clientBurst : 2 * clientRate,
            clientMaxOutstanding, clientIpv4Prefix, clientIpv6Prefix,
            clientLimitExempt.isEmpty() ? ClientLimits.DEFAULT_EXEMPT : Cidr.parseAll(clientLimitExempt)))
        .limits(ResolutionLimits.DEFAULT.withMaxNameServerLookups(maxNameServerLookups))
        .idleTimeouts(new IdleTimeouts(seconds("--tcp-idle-timeout", tcpIdleTimeout),
            seconds("--dot-idle-timeout", dotIdleTimeout), seconds("--doh-idle-timeout", dohIdleTimeout)));
    if (threads != null) {
      builder.threads(threads);
    }
    return builder.build();
  }

  private int cacheMaxEntries() {
    if (cacheSize == null) {
      return cacheMemory == null ? RecursorConfig.DEFAULT_CACHE_MAX_ENTRIES : Integer.MAX_VALUE;
    }
    return (int) atLeastOne("--cache-size", cacheSize);
  }

  private long cacheMaxBytes() {
    if (cacheMemory == null) {
      return cacheSize == null ? RecursorConfig.DEFAULT_CACHE_MAX_BYTES : RecordCache.NO_BYTE_BOUND;
    }
    return atLeastOne("--cache-memory", cacheMemory) * MIB;
  }

  private static Duration seconds(String option, long seconds) {
    return Duration.ofSeconds(atLeastOne(option, seconds));
  }

  /** {@code value}, given as {@code option}, checked to be at least one (the message names the option). */
  private static long atLeastOne(String option, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + ": " + value + " (expected: >= 1)");
    }
    return value;
  }

  /**
   * The families the flags leave. Without a flag, a lab on loopback (the embedded one) is asked
   * over IPv6 only where its IPv6 addresses exist on this host, as {@code dnslab up} decides:
   * elsewhere those addresses would be sent to the host's default route, out of the machine.
   */
  private AddressFamilies families(AddressPlan plan) {
    if (noIpv4 && noIpv6) {
      throw new IllegalArgumentException("--no-ipv4 and --no-ipv6: no address family left to ask name servers over");
    }
    if (noIpv4 || noIpv6) {
      return noIpv6 ? AddressFamilies.IPV4_ONLY : AddressFamilies.IPV6_ONLY;
    }
    InetAddress root6 = plan.address6(LabRole.ROOT);
    if (Cidr.LOOPBACK_V4.contains(plan.network().network()) && !ServerBinding.canBind(root6)) {
      log.info("IPv6: the lab's {} is not on this host: asking name servers over IPv4 only", io.netty.util.NetUtil.toAddressString(root6));
      return AddressFamilies.IPV4_ONLY;
    }
    return AddressFamilies.BOTH;
  }

  private static List<InetAddress> addresses(List<String> literals) {
    List<InetAddress> addresses = new ArrayList<>();
    for (String literal : literals) {
      addresses.add(Cidr.parse(literal).network());
    }
    return addresses;
  }

  /**
   * RFC 4035 4.4: the configured anchor; by default the lab root's, read from the lab's state dir
   * like the authorities' keys (compose: the shared lab-state volume).
   */
  private DnssecValidation dnssec() {
    if (noDnssec && trustAnchor != null) {
      throw new IllegalArgumentException("--no-dnssec and --trust-anchor: choose one");
    }
    if (noDnssec) {
      return DnssecValidation.off();
    }
    if (trustAnchor != null) {
      if (!Files.isReadable(trustAnchor)) {
        throw new IllegalArgumentException("--trust-anchor: " + trustAnchor + ": no such readable file");
      }
      return DnssecValidation.anchorFile(trustAnchor);
    }
    return DnssecValidation.labKeys(stateDir != null ? stateDir : LabCertificateAuthority.defaultStateDir());
  }

  private static List<Cidr> distinct(List<Cidr> defaults, Cidr extra) {
    List<Cidr> all = new ArrayList<>(defaults);
    if (!all.contains(extra)) {
      all.add(extra);
    }
    return all;
  }

  @Override
  public Integer call() {
    RecursorConfig config;
    try {
      config = toConfig();
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("recursor: " + e.getMessage());
      return EXIT_BAD_HINTS;
    }
    RecursorServer server = new RecursorServer(config);
    try {
      server.start();
    } catch (BindException e) {
      System.err.println("recursor: " + BindAdvice.explain(e));
      return EXIT_CANNOT_BIND;
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      // A trust anchor file that holds no DS or DNSKEY, or cannot be read (RecursorServer reads it).
      System.err.println("recursor: --trust-anchor: " + e.getMessage());
      return EXIT_BAD_HINTS;
    }
    return ForegroundRun.untilShutdown(server);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RecursorMain()).execute(args));
  }
}
