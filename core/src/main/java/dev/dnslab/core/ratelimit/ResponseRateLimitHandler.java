package dev.dnslab.core.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.Transport;
import io.micrometer.core.instrument.Counter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Response rate limiting for an authority server (settings and semantics in {@link
 * ResponseRateLimit}): it lets the query be answered, then charges the UDP response to its bucket
 * and sends it, a truncated stand-in (slip), or nothing. It stops a server from being the
 * amplifier of a reflection attack while a real client, whose address is not forged, still gets
 * through over TCP.
 */
public final class ResponseRateLimitHandler implements DnsHandler {
  public static final String LIMITED = "dns.rrl.limited";
  public static final String SLIPPED = "dns.rrl.slipped";

  private final ResponseRateLimit settings;
  private final Predicate<DnsRequest> verified;
  private final LongSupplier nanoTime;
  private final RateLimitBuckets buckets;
  private final Counter limited;
  private final Counter slipped;

  /**
   * @param verified whether a request proved its address (a valid server cookie, RFC 7873 5.2.5);
   *     such clients are not limited
   * @param nanoTime the monotonic clock buckets refill by, {@link System#nanoTime()} outside tests
   */
  public ResponseRateLimitHandler(
      ResponseRateLimit settings, Predicate<DnsRequest> verified, DnsMetrics metrics, LongSupplier nanoTime) {
    this.settings = requireNonNull(settings, "settings");
    this.verified = requireNonNull(verified, "verified");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    this.buckets = new RateLimitBuckets(settings);
    requireNonNull(metrics, "metrics");
    this.limited = Counter.builder(LIMITED)
        .description("UDP responses held back by response rate limiting, dropped or slipped")
        .tag("role", metrics.role())
        .register(metrics.registry());
    this.slipped = Counter.builder(SLIPPED)
        .description("Rate-limited UDP responses sent truncated (TC, no data) so clients retry over TCP")
        .tag("role", metrics.role())
        .register(metrics.registry());
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    InetAddress client = request.client().getAddress();
    // TCP proves the address (no reflection through a handshake): never limited, never charged.
    if (request.transport() != Transport.UDP || Cidr.anyContains(settings.exempt(), client) || verified.test(request)) {
      return next.proceed(request);
    }
    return next.proceed(request).thenCompose(response -> {
      RateLimitBuckets.Key key = new RateLimitBuckets.Key(network(client), ResponseCategory.of(response));
      return switch (buckets.charge(key, nanoTime.getAsLong())) {
        case SEND -> CompletableFuture.completedFuture(response);
        case SLIP -> {
          limited.increment();
          slipped.increment();
          yield CompletableFuture.completedFuture(truncated(request));
        }
        case DROP -> {
          limited.increment();
          yield new CompletableFuture<>(); // never completes: nothing is sent
        }
      };
    });
  }

  /** The client's /24 or /56: one account for a network, as an attacker forging it would use. */
  static InetAddress network(InetAddress client) {
    int prefix = client instanceof Inet4Address
        ? ResponseRateLimit.IPV4_PREFIX_LENGTH
        : ResponseRateLimit.IPV6_PREFIX_LENGTH;
    return new Cidr(client, prefix).network();
  }

  /**
   * The slipped response: the question, TC and nothing else, NOERROR whatever the real rcode, so
   * every client takes it as "ask again over TCP" (RFC 7766 5) rather than as an answer.
   */
  private static Message truncated(DnsRequest request) {
    Message response = request.newResponse(Rcode.NOERROR);
    response.getHeader().setFlag(Flags.TC);
    return response;
  }

  public ResponseRateLimit settings() {
    return settings;
  }
}
