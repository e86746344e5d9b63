package dev.dnslab.router;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Everything the router cache needs to start.
 *
 * <pre>{@code
 * RouterConfig config = RouterConfig.builder()
 *     .listen(new InetSocketAddress("127.0.0.1", 0))
 *     .admin(new InetSocketAddress("127.0.0.1", 0))
 *     .upstream(recursor.dnsAddress())
 *     .build();
 * }</pre>
 *
 * @param listen UDP and TCP address for plain DNS (the "router" address the client is given)
 * @param admin admin HTTP address ({@code /metrics}, {@code /health}, {@code /cache})
 * @param upstream the ISP recursor every miss is forwarded to
 * @param upstreamTimeout how long to wait for the recursor before answering SERVFAIL
 * @param cacheMaxEntries the cache's size bound
 * @param ttlLimits min/max TTLs (the same rules as the recursor's cache)
 * @param threads event-loop threads for the DNS server
 * @param alsoListen more addresses DNS is served on, on the listen port (the router's IPv6 address)
 */
public record RouterConfig(
    InetSocketAddress listen,
    InetSocketAddress admin,
    InetSocketAddress upstream,
    Duration upstreamTimeout,
    int cacheMaxEntries,
    TtlLimits ttlLimits,
    int threads,
    List<InetAddress> alsoListen) {

  /** A home router holds a few hundred names, not a classroom's worth. */
  public static final int DEFAULT_CACHE_MAX_ENTRIES = 1_000;

  /** Longer than the recursor's own walk with a retry, so a slow walk is not cut short here. */
  public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(5);

  public RouterConfig {
    requireNonNull(listen, "listen");
    requireNonNull(admin, "admin");
    requireNonNull(upstream, "upstream");
    requireNonNull(upstreamTimeout, "upstreamTimeout");
    if (upstreamTimeout.isNegative() || upstreamTimeout.isZero()) {
      throw new IllegalArgumentException("upstreamTimeout: " + upstreamTimeout + " (expected: > 0)");
    }
    if (cacheMaxEntries < 1) {
      throw new IllegalArgumentException("cacheMaxEntries: " + cacheMaxEntries + " (expected: >= 1)");
    }
    requireNonNull(ttlLimits, "ttlLimits");
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    alsoListen = List.copyOf(requireNonNull(alsoListen, "alsoListen"));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults are the embedded lab's: 127.53.0.254:53, admin :9153, forwarding to 127.53.0.53:53. */
  public static final class Builder {
    private InetSocketAddress listen = AddressPlan.EMBEDDED.dnsAddress(LabRole.ROUTER);
    private InetSocketAddress admin = AddressPlan.EMBEDDED.adminAddress(LabRole.ROUTER);
    private InetSocketAddress upstream = AddressPlan.EMBEDDED.dnsAddress(LabRole.RECURSOR);
    private Duration upstreamTimeout = DEFAULT_UPSTREAM_TIMEOUT;
    private int cacheMaxEntries = DEFAULT_CACHE_MAX_ENTRIES;
    private TtlLimits ttlLimits = TtlLimits.DEFAULT;
    private int threads = 1;
    private List<InetAddress> alsoListen = List.of();

    private Builder() {}

    public Builder listen(InetSocketAddress listen) {
      this.listen = requireNonNull(listen, "listen");
      return this;
    }

    public Builder admin(InetSocketAddress admin) {
      this.admin = requireNonNull(admin, "admin");
      return this;
    }

    public Builder upstream(InetSocketAddress upstream) {
      this.upstream = requireNonNull(upstream, "upstream");
      return this;
    }

    public Builder upstreamTimeout(Duration timeout) {
      this.upstreamTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder cacheMaxEntries(int max) {
      this.cacheMaxEntries = max;
      return this;
    }

    public Builder ttlLimits(TtlLimits limits) {
      this.ttlLimits = requireNonNull(limits, "limits");
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** More addresses for DNS on the listen port, e.g. the router's IPv6 address. */
    public Builder alsoListen(List<InetAddress> addresses) {
      this.alsoListen = List.copyOf(requireNonNull(addresses, "addresses"));
      return this;
    }

    public RouterConfig build() {
      return new RouterConfig(listen, admin, upstream, upstreamTimeout, cacheMaxEntries, ttlLimits, threads, alsoListen);
    }
  }
}
