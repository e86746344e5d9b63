package dev.dnslab.core.authority;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.ratelimit.ResponseRateLimit;
import dev.dnslab.core.server.DnsHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.xbill.DNS.Record;

/**
 * Everything an authority server (root, TLD or authoritative: they differ only in their zones)
 * needs to start. Build it with {@link #builder(String)}; each setter checks its value.
 *
 * <pre>{@code
 * AuthorityConfig config = AuthorityConfig.builder("root-ns")
 *     .listen(new InetSocketAddress("127.53.0.11", 53))
 *     .admin(new InetSocketAddress("127.53.0.11", 9153))
 *     .zoneSources(List.of(Path.of("zones/root")))
 *     .build();
 * }</pre>
 */
public final class AuthorityConfig {
  /** Loopback, any free port: a server nobody placed is reachable from this machine only. */
  public static final InetSocketAddress DEFAULT_LISTEN = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  /** The admin port likewise: loopback, any free port. */
  public static final InetSocketAddress DEFAULT_ADMIN = DEFAULT_LISTEN;

  /** A zone transfer hands out the whole zone (RFC 5936 6), so only this machine may ask by default. */
  public static final List<Cidr> DEFAULT_TRANSFER_CLIENTS = Cidr.LOOPBACK;

  /** One event loop answers a lab authority's load; the role mains ask for one per core. */
  public static final int DEFAULT_THREADS = 1;

  private static final String NO_ZONE_SOURCES = "zoneSources: [] (expected: at least one zone file or directory)";

  private final String role;
  private final InetSocketAddress listen;
  private final List<InetAddress> alsoListen;
  private final InetSocketAddress admin;
  private final List<Path> zoneSources;
  private final UnaryOperator<Record> zoneRewrite;
  private final List<Cidr> transferClients;
  private final int threads;
  private final List<DnsHandler> interceptors;
  private final DnssecSigning dnssec;
  private final ResponseRateLimit rateLimit;
  private final LongSupplier rateLimitClock;

  private AuthorityConfig(Builder builder) {
    role = builder.role;
    listen = builder.listen;
    alsoListen = builder.alsoListen;
    admin = builder.admin;
    zoneSources = builder.zoneSources;
    zoneRewrite = builder.zoneRewrite;
    transferClients = builder.transferClients;
    threads = builder.threads;
    interceptors = builder.interceptors;
    dnssec = builder.dnssec;
    rateLimit = builder.rateLimit;
    rateLimitClock = builder.rateLimitClock;
  }

  /** A builder for the server named {@code role} (in logs and as the {@code role} metric tag). */
  public static Builder builder(String role) {
    return new Builder(role);
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    return builder(role).listen(listen).alsoListen(alsoListen).admin(admin).zoneSources(zoneSources).zoneRewrite(zoneRewrite)
        .transferClients(transferClients).threads(threads).interceptors(interceptors).dnssec(dnssec)
        .rateLimit(rateLimit).rateLimitClock(rateLimitClock);
  }

  /** The role name, used in logs and as the {@code role} metric tag. */
  public String role() {
    return role;
  }

  /** UDP and TCP address for DNS. */
  public InetSocketAddress listen() {
    return listen;
  }

  /** More addresses DNS is served on, on the same port: the server's IPv6 address, if it has one. */
  public List<InetAddress> alsoListen() {
    return alsoListen;
  }

  /** Address of the admin HTTP port. */
  public InetSocketAddress admin() {
    return admin;
  }

  /** Zone files and directories of {@code *.zone} files. */
  public List<Path> zoneSources() {
    return zoneSources;
  }

  /** Applied to each record as it is loaded (the deployment's address plan). */
  public UnaryOperator<Record> zoneRewrite() {
    return zoneRewrite;
  }

  /** Who may AXFR and IXFR. */
  public List<Cidr> transferClients() {
    return transferClients;
  }

  /** Event-loop threads for DNS. */
  public int threads() {
    return threads;
  }

  /** Handlers run after EDNS and before the zone lookup (fault injection, query recording). */
  public List<DnsHandler> interceptors() {
    return interceptors;
  }

  /** How zones are signed, or null when they are served unsigned. */
  public DnssecSigning dnssec() {
    return dnssec;
  }

  /** Response rate limiting on UDP, or null when it is off (the lab's default). */
  public ResponseRateLimit rateLimit() {
    return rateLimit;
  }

  /** The monotonic nanosecond clock rate-limit buckets refill by: {@link System#nanoTime()} unless set. */
  public LongSupplier rateLimitClock() {
    return rateLimitClock;
  }

  @Override
  public String toString() {
    return "AuthorityConfig[role=" + role + ", listen=" + listen + ", admin=" + admin + ", zoneSources="
        + zoneSources + ", transferClients=" + transferClients + ", threads=" + threads + ", interceptors="
        + interceptors.size() + ", dnssec=" + (dnssec != null) + ", rateLimit=" + rateLimit + "]";
  }

  /** Builds an {@link AuthorityConfig}; the zone sources are the one setting without a default. */
  public static final class Builder {
    private final String role;
    private InetSocketAddress listen = DEFAULT_LISTEN;
    private List<InetAddress> alsoListen = List.of();
    private InetSocketAddress admin = DEFAULT_ADMIN;
    private List<Path> zoneSources = List.of();
    private UnaryOperator<Record> zoneRewrite = UnaryOperator.identity();
    private List<Cidr> transferClients = DEFAULT_TRANSFER_CLIENTS;
    private int threads = DEFAULT_THREADS;
    private List<DnsHandler> interceptors = List.of();
    private DnssecSigning dnssec;
    private ResponseRateLimit rateLimit;
    private LongSupplier rateLimitClock = System::nanoTime;

    private Builder(String role) {
      this.role = requireNonNull(role, "role");
      if (role.isBlank()) {
        throw new IllegalArgumentException("role: \"" + role + "\" (expected: a name such as root-ns)");
      }
    }

    /** UDP and TCP address for DNS; port 0 picks a free port. */
    public Builder listen(InetSocketAddress listen) {
      this.listen = requireNonNull(listen, "listen");
      return this;
    }

    /** More addresses for DNS on the listen port, e.g. the server's IPv6 one; none by default. */
    public Builder alsoListen(List<InetAddress> addresses) {
      this.alsoListen = List.copyOf(requireNonNull(addresses, "addresses"));
      return this;
    }

    /** Address of the admin HTTP port ({@code /metrics}, {@code /health}, {@code /zones}). */
    public Builder admin(InetSocketAddress admin) {
      this.admin = requireNonNull(admin, "admin");
      return this;
    }

    /** Zone files and directories of {@code *.zone} files: at least one. */
    public Builder zoneSources(List<Path> zoneSources) {
      List<Path> copy = List.copyOf(requireNonNull(zoneSources, "zoneSources"));
      if (copy.isEmpty()) {
        throw new IllegalArgumentException(NO_ZONE_SOURCES);
      }
      this.zoneSources = copy;
      return this;
    }

    /** Applied to each record as it is loaded, e.g. the deployment's address plan; identity by default. */
    public Builder zoneRewrite(UnaryOperator<Record> zoneRewrite) {
      this.zoneRewrite = requireNonNull(zoneRewrite, "zoneRewrite");
      return this;
    }

    /** Who may ask for a zone transfer (AXFR, IXFR); loopback by default. */
    public Builder transferClients(List<Cidr> transferClients) {
      this.transferClients = List.copyOf(requireNonNull(transferClients, "transferClients"));
      return this;
    }

    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
      }
      this.threads = threads;
      return this;
    }

    /** Handlers run after EDNS and before the zone lookup; none for a plain server. */
    public Builder interceptors(List<DnsHandler> interceptors) {
      this.interceptors = List.copyOf(requireNonNull(interceptors, "interceptors"));
      return this;
    }

    /**
     * Signs the zones the lab's policy signs (at load, every reload, and before signatures expire);
     * null, the default, serves them unsigned.
     */
    public Builder dnssec(DnssecSigning dnssec) {
      this.dnssec = dnssec;
      return this;
    }

    /**
     * Limits UDP responses per client network (NSD's and Knot's RRL); null, the default, leaves a
     * teaching lab unlimited, so a class behind one NAT never wonders where its answers went.
     */
    public Builder rateLimit(ResponseRateLimit rateLimit) {
      this.rateLimit = rateLimit;
      return this;
    }

    /**
     * The monotonic nanosecond clock the rate-limit buckets refill by; {@link System#nanoTime()} by
     * default. A test holds it still, so no token comes back while a slow client starts.
     */
    public Builder rateLimitClock(LongSupplier rateLimitClock) {
      this.rateLimitClock = requireNonNull(rateLimitClock, "rateLimitClock");
      return this;
    }

    public AuthorityConfig build() {
      if (zoneSources.isEmpty()) {
        throw new IllegalArgumentException(NO_ZONE_SOURCES);
      }
      return new AuthorityConfig(this);
    }
  }
}
