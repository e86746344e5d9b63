package dev.dnslab.recursor;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.metrics.MeterCache;
import dev.dnslab.recursor.limit.LimitReporter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.xbill.DNS.Rcode;

/**
 * The recursor's own meters, next to the {@code dns_*} meters every lab server has and the cache's
 * {@code dns_cache_*} ({@link dev.dnslab.core.cache.CacheMetrics}). One name per
 * quantity, details in tags; a query name is never a tag. Listed in recursor/README.md.
 */
public final class RecursorMetrics {
  public static final String UPSTREAM_QUERIES = "dns.recursor.upstream.queries";
  public static final String UPSTREAM_DURATION = "dns.recursor.upstream.duration";
  public static final String UPSTREAM_TIMEOUTS = "dns.recursor.upstream.timeouts";
  public static final String UPSTREAM_BLOCKED = "dns.recursor.upstream.blocked";
  public static final String REPLIES = "dns.recursor.replies";
  public static final String RESOLUTIONS = "dns.recursor.resolutions";
  public static final String VALIDATIONS = "dns.recursor.validations";
  public static final String LIMITED = "dns.recursor.limited";
  public static final String RENDERED_ANSWERS = "dns.recursor.rendered.answers";

  private final MeterRegistry registry;
  private final Counter blocked;
  private final LimitReporter limits;
  // Meters by their tag values (MeterCache). Bounded: every tag value comes from a small closed set.
  private final MeterCache<String, MeterCache<String, Counter>> upstreamQueries;
  private final MeterCache<String, Timer> upstreamDurations;
  private final MeterCache<String, Counter> replies;
  private final MeterCache<String, Counter> upstreamTimeouts;
  private final MeterCache<String, MeterCache<String, Counter>> validations;
  // By the rcode's number: its name (Rcode.string, a map lookup) is made once, at registration.
  private final MeterCache<Integer, Counter> resolutions;

  public RecursorMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    this.blocked = Counter.builder(UPSTREAM_BLOCKED)
        .description("Upstream queries the UpstreamPolicy refused to send (address not allowed)")
        .register(registry);
    this.limits = new LimitReporter(registry);
    this.upstreamQueries = new MeterCache<>(serverRole -> new MeterCache<>(transport -> Counter.builder(UPSTREAM_QUERIES)
        .description("Queries sent to upstream name servers")
        .tags("server_role", serverRole, "transport", transport).register(registry)));
    this.upstreamDurations = new MeterCache<>(serverRole -> Timer.builder(UPSTREAM_DURATION)
        .description("Round trip of upstream queries that got a reply")
        .tag("server_role", serverRole).register(registry));
    this.replies = new MeterCache<>(type -> Counter.builder(REPLIES)
        .description("Upstream replies by classification (ANSWER, REFERRAL, ...)")
        .tag("type", type).register(registry));
    this.upstreamTimeouts = new MeterCache<>(serverRole -> Counter.builder(UPSTREAM_TIMEOUTS)
        .description("Upstream queries that got no reply in time")
        .tag("server_role", serverRole).register(registry));
    // Every cache hit counts a verdict: found by two map hits, nothing allocated.
    this.validations = new MeterCache<>(security -> new MeterCache<>(source -> Counter.builder(VALIDATIONS)
        .description("Answers validated (DNSSEC), by verdict")
        .tags("security", security, "source", source).register(registry)));
    this.resolutions = new MeterCache<>(rcode -> Counter.builder(RESOLUTIONS)
        .description("Iterative resolutions finished, by rcode")
        .tag("rcode", Rcode.string(rcode)).register(registry));
  }

  /** Reports the per-client and per-referral limits biting ({@code dns_recursor_limited_total{limit}}). */
  public LimitReporter limits() {
    return limits;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void upstreamBlocked() {
    blocked.increment();
  }

  /** One query sent to a server of {@code serverRole} (root, tld, authoritative) over a transport. */
  public void upstreamQuery(String serverRole, String transport) {
    upstreamQueries.get(serverRole).get(transport).increment();
  }

  public void upstreamReply(String serverRole, String replyType, Duration rtt) {
    upstreamDurations.get(serverRole).record(rtt);
    replies.get(replyType).increment();
  }

  public void upstreamTimeout(String serverRole) {
    upstreamTimeouts.get(serverRole).increment();
  }

  /**
   * One answer validated (RFC 4035 5), by verdict: secure, insecure, bogus, indeterminate; {@code
   * source} says whether the verdict was computed or reused from the verdict cache.
   */
  public void validation(String security, String source) {
    validations.get(security).get(source).increment();
  }

  /** One finished resolution (cache misses only) and its rcode, tagged with its name (NOERROR, ...). */
  public void resolution(int rcode) {
    resolutions.get(rcode).increment();
  }
}
