package dev.dnslab.core.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import java.time.Duration;
import java.util.List;

/**
 * Response rate limiting (RRL) settings of an authority server, as NSD ({@code rrl-*}), Knot
 * ({@code mod-rrl}) and BIND ({@code rate-limit}) have them. Every UDP response is charged to a
 * bucket named by the client's network (/24 for IPv4, /56 for IPv6) and what the response is (see
 * {@link ResponseCategory}); a bucket holds at most {@code responsesPerSecond × window} tokens and
 * refills at {@code responsesPerSecond}. A response that finds its bucket empty is limited: every
 * {@code slip}-th one goes out truncated (TC, no data) so a real client behind a forged address
 * retries over TCP, the others are dropped. TCP is never limited, nor are clients in {@code exempt}
 * or with a valid server cookie (RFC 7873 5.2.5).
 *
 * @param responsesPerSecond tokens added to each bucket per second
 * @param slip every Nth limited response is sent truncated; 0 drops them all, 1 truncates them all
 * @param window how many seconds of tokens a bucket can save up: the burst a client may send
 * @param exempt networks never limited (monitoring, the lab's own resolvers)
 */
public record ResponseRateLimit(int responsesPerSecond, int slip, Duration window, List<Cidr> exempt) {
  /** A generous rate for a classroom: a resolver's walk takes a few responses per name. */
  public static final int DEFAULT_RESPONSES_PER_SECOND = 20;

  /** NSD's and BIND's default: half the limited answers truncated, half dropped. */
  public static final int DEFAULT_SLIP = 2;

  /** One second of burst, as NSD's and Knot's buckets hold; BIND averages over 15. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);

  /** NSD, Knot and BIND all account IPv4 clients per /24 by default. */
  public static final int IPV4_PREFIX_LENGTH = 24;

  /** Knot and BIND account IPv6 clients per /56, a typical end-site allocation. */
  public static final int IPV6_PREFIX_LENGTH = 56;

  public static final ResponseRateLimit DEFAULT =
      new ResponseRateLimit(DEFAULT_RESPONSES_PER_SECOND, DEFAULT_SLIP, DEFAULT_WINDOW, List.of());

  public ResponseRateLimit {
    if (responsesPerSecond < 1) {
      throw new IllegalArgumentException("responsesPerSecond: " + responsesPerSecond + " (expected: >= 1)");
    }
    if (slip < 0) {
      throw new IllegalArgumentException("slip: " + slip + " (expected: >= 0)");
    }
    requireNonNull(window, "window");
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
    }
    exempt = List.copyOf(requireNonNull(exempt, "exempt"));
  }

  /** The most tokens a bucket holds: {@code responsesPerSecond × window}, at least one. */
  public double burst() {
    return Math.max(1, responsesPerSecond * (window.toMillis() / 1000.0));
  }

  @Override
  public String toString() {
    return responsesPerSecond + "/s per /" + IPV4_PREFIX_LENGTH + " and /" + IPV6_PREFIX_LENGTH + ", window "
        + window.toSeconds() + " s, slip " + slip + (exempt.isEmpty() ? "" : ", exempt " + exempt);
  }
}
