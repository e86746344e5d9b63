package dev.dnslab.recursor;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.zone.RootHints;
import dev.dnslab.recursor.iterator.MinimisedQueryType;
import dev.dnslab.recursor.iterator.AddressFamilies;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import dev.dnslab.recursor.iterator.ServeStale;
import java.net.InetAddress;
import dev.dnslab.recursor.limit.ClientLimits;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the recursor needs to start. Build it with {@link #builder()}:
 *
 * <pre>{@code
 * RecursorConfig config = RecursorConfig.builder()
 *     .listen(new InetSocketAddress("127.0.0.1", 0))
 *     .rootHints(RootHints.lab(plan))
 *     .upstreamPort(plan.dnsPort())
 *     .build();
 * }</pre>
 *
 * @param listen UDP and TCP address for plain DNS
 * @param admin admin HTTP address ({@code /metrics}, {@code /cache}, {@code /trace})
 * @param doh DNS over HTTPS address, or null for none
 * @param dot DNS over TLS address, or null for none
 * @param rootHints where resolution starts
 * @param upstreamPort the port every upstream server is asked on (referrals carry no ports)
 * @param qnameMinimisation RFC 9156, on by default
 * @param minimisedQueryType the QTYPE of minimised queries, A by default (RFC 9156 2.1)
 * @param allowedClients who may ask (others get REFUSED)
 * @param allowedUpstreams where queries may be sent (nowhere else, whatever a zone says)
 * @param labNetworks networks whose .11/.12/.13 hosts are named root/tld/authoritative in traces
 * @param cacheMaxEntries the most entries the cache holds
 * @param cacheMaxBytes the most heap the cache's entries hold, estimated (RecordCache's
 *     RetainedBytes), or {@link dev.dnslab.core.cache.RecordCache#NO_BYTE_BOUND}
 * @param ttlLimits min/max TTLs and the failure TTL
 * @param limits per-query caps and timeouts
 * @param stateDir where the lab CA lives (for DoH/DoT certificates), or null for a temporary one
 * @param threads event-loop threads for the DNS server
 * @param serveStale serve-stale (RFC 8767) window and timers, or null when off (the default)
 * @param families the address families upstream queries use (IPv4 only unless set; see the builder)
 * @param alsoListen more addresses plain DNS, DoT and DoH are served on, each on its own port (e.g. the IPv6 one)
 * @param dnssec whether and from which trust anchor DNSSEC is validated (default: off in Java,
 *     as a recursor aimed at unsigned zones must not call them bogus; RecursorMain and the lab
 *     turn it on with the lab's anchor)
 * @param clientLimits what one client network may make the recursor do (query rate, outstanding)
 * @param idleTimeouts how long a TCP, DoT or DoH connection with nothing in flight may stay silent
 */
public record RecursorConfig(
    InetSocketAddress listen,
    InetSocketAddress admin,
    InetSocketAddress doh,
    InetSocketAddress dot,
    RootHints rootHints,
    int upstreamPort,
    boolean qnameMinimisation,
    MinimisedQueryType minimisedQueryType,
    List<Cidr> allowedClients,
    List<Cidr> allowedUpstreams,
    List<Cidr> labNetworks,
    int cacheMaxEntries,
    long cacheMaxBytes,
    TtlLimits ttlLimits,
    ResolutionLimits limits,
    Path stateDir,
    int threads,
    ServeStale serveStale,
    AddressFamilies families,
    List<InetAddress> alsoListen,
    DnssecValidation dnssec,
    ClientLimits clientLimits,
    IdleTimeouts idleTimeouts) {

  /** Loopback and the lab's networks: the embedded lab and the compose bridge, on both families. */
  public static final List<Cidr> DEFAULT_CLIENTS =
      List.of(Cidr.LOOPBACK_V4, Cidr.LOOPBACK_V6, AddressPlan.COMPOSE_NETWORK,
          AddressPlan.ZONE_FILE_NETWORK_V6, AddressPlan.COMPOSE_NETWORK_V6);

  /**
   * The lab's hosts only, on both families: the recursor must never query the real Internet. The
   * embedded lab's IPv6 network is asked only where its addresses exist (see {@code EmbeddedLab}).
   */
  public static final List<Cidr> DEFAULT_UPSTREAMS =
      List.of(AddressPlan.ZONE_FILE_NETWORK, AddressPlan.COMPOSE_NETWORK,
          AddressPlan.ZONE_FILE_NETWORK_V6, AddressPlan.COMPOSE_NETWORK_V6);

  /** Enough for every name of a classroom's browsing. */
  public static final int DEFAULT_CACHE_MAX_ENTRIES = 100_000;

  /**
   * The cache's memory bound by default: 8 MiB of estimated heap holds ~19,000 unsigned A records
   * or ~8,500 signed ones with their RRSIGs, more than a classroom browses (the recursor bench's
   * mix of 12,000 names takes ~5.2 MiB), as Unbound's defaults hold 8 MB (msg-cache-size 4m plus
   * rrset-cache-size 4m). Under a flood of new names the cache stays at this bound, so it is most
   * of the recursor's live heap; 100,000 entries alone let the heap grow to ~220 MiB (issue 16).
   */
  public static final long DEFAULT_CACHE_MAX_BYTES = 8L * 1024 * 1024;

  public static final int DEFAULT_DOH_PORT = 443;
  public static final int DEFAULT_DOT_PORT = 853;

  public RecursorConfig {
    requireNonNull(listen, "listen");
    requireNonNull(admin, "admin");
    requireNonNull(rootHints, "rootHints");
    if (upstreamPort < 1 || upstreamPort > 65535) {
      throw new IllegalArgumentException("upstreamPort: " + upstreamPort + " (expected: 1..65535)");
    }
    allowedClients = List.copyOf(requireNonNull(allowedClients, "allowedClients"));
    allowedUpstreams = List.copyOf(requireNonNull(allowedUpstreams, "allowedUpstreams"));
    labNetworks = List.copyOf(requireNonNull(labNetworks, "labNetworks"));
    if (cacheMaxEntries < 1) {
      throw new IllegalArgumentException("cacheMaxEntries: " + cacheMaxEntries + " (expected: >= 1)");
    }
    if (cacheMaxBytes < 1) {
      throw new IllegalArgumentException("cacheMaxBytes: " + cacheMaxBytes + " (expected: >= 1)");
    }
    requireNonNull(ttlLimits, "ttlLimits");
    requireNonNull(limits, "limits");
    requireNonNull(clientLimits, "clientLimits");
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    requireNonNull(families, "families");
    alsoListen = List.copyOf(requireNonNull(alsoListen, "alsoListen"));
    requireNonNull(dnssec, "dnssec");
    requireNonNull(idleTimeouts, "idleTimeouts");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.listen = listen;
    b.admin = admin;
    b.doh = doh;
    b.dot = dot;
    b.rootHints = rootHints;
    b.upstreamPort = upstreamPort;
    b.qnameMinimisation = qnameMinimisation;
    b.minimisedQueryType = minimisedQueryType;
    b.allowedClients = allowedClients;
    b.allowedUpstreams = allowedUpstreams;
    b.labNetworks = labNetworks;
    b.cacheMaxEntries = cacheMaxEntries;
    b.cacheMaxBytes = cacheMaxBytes;
    b.ttlLimits = ttlLimits;
    b.limits = limits;
    b.stateDir = stateDir;
    b.threads = threads;
    b.serveStale = serveStale;
    b.families = families;
    b.alsoListen = alsoListen;
    b.dnssec = dnssec;
    b.clientLimits = clientLimits;
    b.idleTimeouts = idleTimeouts;
    return b;
  }

  /** Defaults are the embedded lab's: 127.53.0.53:53, admin :9153, the lab root, port 53 upstream. */
  public static final class Builder {
    private InetSocketAddress listen = AddressPlan.EMBEDDED.dnsAddress(LabRole.RECURSOR);
    private InetSocketAddress admin = AddressPlan.EMBEDDED.adminAddress(LabRole.RECURSOR);
    private InetSocketAddress doh;
    private InetSocketAddress dot;
    private RootHints rootHints = RootHints.lab(AddressPlan.EMBEDDED);
    private int upstreamPort = AddressPlan.DEFAULT_DNS_PORT;
    private boolean qnameMinimisation = true;
    private MinimisedQueryType minimisedQueryType = MinimisedQueryType.A;
    private List<Cidr> allowedClients = DEFAULT_CLIENTS;
    private List<Cidr> allowedUpstreams;
    private List<Cidr> labNetworks;
    private int cacheMaxEntries = DEFAULT_CACHE_MAX_ENTRIES;
    private long cacheMaxBytes = DEFAULT_CACHE_MAX_BYTES;
    private TtlLimits ttlLimits = TtlLimits.DEFAULT;
    private ResolutionLimits limits = ResolutionLimits.DEFAULT;
    private Path stateDir;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private ServeStale serveStale;
    // IPv4 only unless asked: the lab's IPv6 addresses exist only where they were assigned (compose,
    // a network namespace), and elsewhere a query to one would follow the host's default route out.
    private AddressFamilies families = AddressFamilies.IPV4_ONLY;
    private List<InetAddress> alsoListen = List.of();
    private DnssecValidation dnssec = DnssecValidation.off();
    private ClientLimits clientLimits = ClientLimits.DEFAULT;
    private IdleTimeouts idleTimeouts = IdleTimeouts.DEFAULT;

    private Builder() {}

    public Builder listen(InetSocketAddress listen) {
      this.listen = requireNonNull(listen, "listen");
      return this;
    }

    public Builder admin(InetSocketAddress admin) {
      this.admin = requireNonNull(admin, "admin");
      return this;
    }

    /** DNS over HTTPS (RFC 8484) on this address; null turns it off. */
    public Builder doh(InetSocketAddress doh) {
      this.doh = doh;
      return this;
    }

    /** DNS over TLS (RFC 7858) on this address; null turns it off. */
    public Builder dot(InetSocketAddress dot) {
      this.dot = dot;
      return this;
    }

    public Builder rootHints(RootHints rootHints) {
      this.rootHints = requireNonNull(rootHints, "rootHints");
      return this;
    }

    public Builder upstreamPort(int port) {
      this.upstreamPort = port;
      return this;
    }

    /** A (the default, RFC 9156 2.1) or NS (RFC 7816): the QTYPE of minimised queries. */
    public Builder minimisedQueryType(MinimisedQueryType type) {
      this.minimisedQueryType = requireNonNull(type, "type");
      return this;
    }

    public Builder qnameMinimisation(boolean on) {
      this.qnameMinimisation = on;
      return this;
    }

    public Builder allowedClients(List<Cidr> clients) {
      this.allowedClients = new ArrayList<>(requireNonNull(clients, "clients"));
      return this;
    }

    public Builder allowedUpstreams(List<Cidr> upstreams) {
      this.allowedUpstreams = new ArrayList<>(requireNonNull(upstreams, "upstreams"));
      return this;
    }

    public Builder labNetworks(List<Cidr> networks) {
      this.labNetworks = new ArrayList<>(requireNonNull(networks, "networks"));
      return this;
    }

    public Builder cacheMaxEntries(int max) {
      this.cacheMaxEntries = max;
      return this;
    }

    /** The cache's memory bound in bytes of estimated heap; {@code RecordCache.NO_BYTE_BOUND} for none. */
    public Builder cacheMaxBytes(long max) {
      this.cacheMaxBytes = max;
      return this;
    }

    public Builder ttlLimits(TtlLimits limits) {
      this.ttlLimits = requireNonNull(limits, "limits");
      return this;
    }

    public Builder limits(ResolutionLimits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** Serves stale answers (RFC 8767) with this window and timers; null (the default) turns it off. */
    public Builder serveStale(ServeStale policy) {
      this.serveStale = policy;
      return this;
    }

    /** Validates DNSSEC from this trust anchor, or not at all ({@link DnssecValidation#off()}, the default). */
    public Builder dnssec(DnssecValidation dnssec) {
      this.dnssec = requireNonNull(dnssec, "dnssec");
      return this;
    }

    /**
     * The address families upstream queries use. IPv4 only by default; the command line and the
     * embedded lab choose both wherever the lab's IPv6 addresses exist (--no-ipv4, --no-ipv6).
     */
    public Builder families(AddressFamilies families) {
      this.families = requireNonNull(families, "families");
      return this;
    }

    /** More addresses for plain DNS, DoT and DoH on their ports, e.g. the recursor's IPv6 address. */
    public Builder alsoListen(List<InetAddress> addresses) {
      this.alsoListen = List.copyOf(requireNonNull(addresses, "addresses"));
      return this;
    }

    /** What one client network may make the recursor do: query rate and outstanding resolutions. */
    public Builder clientLimits(ClientLimits limits) {
      this.clientLimits = requireNonNull(limits, "limits");
      return this;
    }

    /** How long a TCP, DoT or DoH connection with no query in flight may stay silent. */
    public Builder idleTimeouts(IdleTimeouts timeouts) {
      this.idleTimeouts = requireNonNull(timeouts, "timeouts");
      return this;
    }

    /**
     * Unless set explicitly, the upstream allow-list and the lab networks are the lab's networks
     * plus the loopback /24 of each root hint: a lab moved to 127.53.7.0/24 works without more
     * flags, while a hint outside loopback never widens the allow-list.
     */
    public RecursorConfig build() {
      List<Cidr> labDefault = new ArrayList<>(DEFAULT_UPSTREAMS);
      rootHints.nameServers().values().forEach(addresses -> addresses.forEach(address -> {
        if (Cidr.LOOPBACK_V4.contains(address)) {
          Cidr network = new Cidr(address, 24);
          if (!labDefault.contains(network)) {
            labDefault.add(network);
          }
        }
      }));
      return new RecursorConfig(listen, admin, doh, dot, rootHints, upstreamPort, qnameMinimisation,
          minimisedQueryType, allowedClients, allowedUpstreams != null ? allowedUpstreams : labDefault,
          labNetworks != null ? labNetworks : labDefault, cacheMaxEntries, cacheMaxBytes, ttlLimits, limits, stateDir, threads,
          serveStale, families, alsoListen, dnssec, clientLimits, idleTimeouts);
    }
  }
}
