package dev.dnslab.recursor.limit;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.Transport;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Holds each client network to {@link ClientLimits#queriesPerSecond()} with a token bucket of
 * {@link ClientLimits#burst()} (Unbound's {@code ip-ratelimit}, PowerDNS's {@code
 * max-qps-per-client}). A query over the rate is dropped on UDP, where its source may be forged and
 * an answer would reflect a flood at a victim (RFC 5358 4), and REFUSED on a stream, whose source
 * the handshake proved and which would otherwise wait for the idle timeout.
 */
public final class ClientRateLimitHandler implements DnsHandler {
  /**
   * Networks tracked at once. A flood from forged random sources creates a bucket per network; past
   * this many, the buckets that refilled (networks gone quiet) are forgotten, and if that is not
   * enough, all of them: memory stays bounded, at worst a flood resets the limits it is held to.
   */
  static final int MAX_TRACKED_NETWORKS = 100_000;

  private final ClientLimits limits;
  private final LimitReporter reporter;
  private final Map<Cidr, TokenBucket> buckets = new ConcurrentHashMap<>();

  public ClientRateLimitHandler(ClientLimits limits, LimitReporter reporter) {
    this.limits = requireNonNull(limits, "limits");
    this.reporter = requireNonNull(reporter, "reporter");
  }

  /**
   * Whether a query from {@code client} may go on: its network is not limited, or a token was taken
   * for it from the network's bucket. When not, nothing was taken and nothing reported: the query
   * is for {@link #handle} to drop or refuse.
   */
  public boolean admits(InetAddress client) {
    Cidr network = networkOf(client);
    return network == null || tokenTaken(network);
  }

  /** Whether {@code client} is held to this limit at all: it is on, and the client is not exempt. */
  public boolean limits(InetAddress client) {
    return networkOf(client) != null;
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    Cidr network = networkOf(request.client().getAddress());
    if (network == null || tokenTaken(network)) {
      return next.proceed(request);
    }
    reporter.reached(Limit.CLIENT_RATE, network + " sent more than " + limits.queriesPerSecond() + " queries/s");
    if (request.transport() == Transport.UDP) {
      return new CompletableFuture<>(); // dropped: never answered, nothing holds it
    }
    Message refused = request.newResponse(Rcode.REFUSED);
    refused.getHeader().setFlag(Flags.RA);
    return CompletableFuture.completedFuture(refused);
  }

  /** The network {@code client} is limited as, or null when limiting is off or it is exempt. */
  private Cidr networkOf(InetAddress client) {
    return limits.queriesPerSecond() > 0 ? limits.networkOf(client) : null;
  }

  private boolean tokenTaken(Cidr network) {
    long now = System.nanoTime();
    TokenBucket bucket =
        buckets.computeIfAbsent(network, n -> new TokenBucket(limits.queriesPerSecond(), limits.burst(), now));
    if (buckets.size() > MAX_TRACKED_NETWORKS) {
      forgetQuietNetworks(now);
    }
    return bucket.tryTake(now);
  }

  private void forgetQuietNetworks(long now) {
    buckets.values().removeIf(bucket -> bucket.isFull(now));
    if (buckets.size() > MAX_TRACKED_NETWORKS) {
      buckets.clear();
    }
  }
}
