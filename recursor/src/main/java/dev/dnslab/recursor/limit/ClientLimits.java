package dev.dnslab.recursor.limit;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * What one client network may make the recursor do: queries per second (a token bucket, like
 * Unbound's {@code ip-ratelimit}) and resolutions outstanding at once (like BIND's
 * {@code clients-per-query}, per client rather than per name). Clients are grouped by network, a
 * /24 for IPv4 and a /56 for IPv6 as NSD's and Knot's RRL do, since one host may own a whole
 * prefix; the exempt networks are never limited.
 *
 * @param queriesPerSecond tokens added per second to a network's bucket; 0 turns the rate limit off
 * @param burst the bucket's size: queries a quiet network may send at once
 * @param maxOutstanding queries of one network being answered at once; 0 turns the limit off
 * @param ipv4Prefix the prefix length that groups IPv4 clients
 * @param ipv6Prefix the prefix length that groups IPv6 clients
 * @param exempt networks never limited
 */
public record ClientLimits(
    int queriesPerSecond, int burst, int maxOutstanding, int ipv4Prefix, int ipv6Prefix, List<Cidr> exempt) {

  /**
   * Generous: a classroom behind one NAT, or the lab's router forwarding a whole house's browsing,
   * stays far below it, while one client cannot make the recursor do unbounded work.
   */
  public static final int DEFAULT_QUERIES_PER_SECOND = 2_000;
  /** Two seconds' worth, so a browser opening a page of many names is never slowed. */
  public static final int DEFAULT_BURST = 2 * DEFAULT_QUERIES_PER_SECOND;
  /** Loopback resolutions take milliseconds: 100 at once is a flood, not a client. */
  public static final int DEFAULT_MAX_OUTSTANDING = 100;
  /** NSD and Knot RRL's defaults: a /24 and a /56 usually belong to one customer. */
  public static final int DEFAULT_IPV4_PREFIX = 24;
  public static final int DEFAULT_IPV6_PREFIX = 56;
  /**
   * Loopback: the embedded lab's learners and the benchmarks ask from this host, and a flood from
   * this host is the operator's own.
   */
  public static final List<Cidr> DEFAULT_EXEMPT = Cidr.LOOPBACK;

  public static final ClientLimits DEFAULT = new ClientLimits(DEFAULT_QUERIES_PER_SECOND, DEFAULT_BURST,
      DEFAULT_MAX_OUTSTANDING, DEFAULT_IPV4_PREFIX, DEFAULT_IPV6_PREFIX, DEFAULT_EXEMPT);

  /** No limits at all. */
  public static final ClientLimits OFF = new ClientLimits(0, 0, 0, DEFAULT_IPV4_PREFIX, DEFAULT_IPV6_PREFIX, List.of());

  public ClientLimits {
    if (queriesPerSecond < 0) {
      throw new IllegalArgumentException("queriesPerSecond: " + queriesPerSecond + " (expected: >= 0)");
    }
    if (queriesPerSecond > 0 && burst < 1) {
      throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
    }
    if (maxOutstanding < 0) {
      throw new IllegalArgumentException("maxOutstanding: " + maxOutstanding + " (expected: >= 0)");
    }
    if (ipv4Prefix < 0 || ipv4Prefix > 32) {
      throw new IllegalArgumentException("ipv4Prefix: " + ipv4Prefix + " (expected: 0..32)");
    }
    if (ipv6Prefix < 0 || ipv6Prefix > 128) {
      throw new IllegalArgumentException("ipv6Prefix: " + ipv6Prefix + " (expected: 0..128)");
    }
    exempt = List.copyOf(requireNonNull(exempt, "exempt"));
  }

  /** The network {@code client} is counted in, or null when it is exempt. */
  public Cidr networkOf(InetAddress client) {
    if (Cidr.anyContains(exempt, client)) {
      return null;
    }
    return new Cidr(client, client instanceof Inet4Address ? ipv4Prefix : ipv6Prefix);
  }
}
