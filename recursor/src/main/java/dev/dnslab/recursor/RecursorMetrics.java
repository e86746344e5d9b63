package dev.dnslab.recursor;

import static java.util.Objects.requireNonNull;

import dev.dnslab.recursor.limit.LimitReporter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

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
  // Meters by their tag values, found with a map hit per event rather than a Meter.Id built and
  // looked up in the registry each time. Bounded: every tag value comes from a small closed set.
  private final Map<String, Map<String, Counter>> upstreamQueries = new ConcurrentHashMap<>();
  private final Map<String, Timer> upstreamDurations = new ConcurrentHashMap<>();
  private final Map<String, Counter> replies = new ConcurrentHashMap<>();
  private final Map<String, Counter> upstreamTimeouts = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Counter>> validations = new ConcurrentHashMap<>();
  private final Map<String, Counter> resolutions = new ConcurrentHashMap<>();

  public RecursorMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    this.blocked = Counter.builder(UPSTREAM_BLOCKED)
        .description("Upstream queries the UpstreamPolicy refused to send (address not allowed)")
        .register(registry);
    this.limits = new LimitReporter(registry);
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
    meter(upstreamQueries, serverRole, transport, (role, how) -> Counter.builder(UPSTREAM_QUERIES)
        .description("Queries sent to upstream name servers")
        .tags("server_role", role, "transport", how).register(registry)).increment();
  }

  public void upstreamReply(String serverRole, String replyType, Duration rtt) {
    meter(upstreamDurations, serverRole, role -> Timer.builder(UPSTREAM_DURATION)
        .description("Round trip of upstream queries that got a reply")
        .tag("server_role", role).register(registry)).record(rtt);
    meter(replies, replyType, type -> Counter.builder(REPLIES)
        .description("Upstream replies by classification (ANSWER, REFERRAL, ...)")
        .tag("type", type).register(registry)).increment();
  }

  public void upstreamTimeout(String serverRole) {
    meter(upstreamTimeouts, serverRole, role -> Counter.builder(UPSTREAM_TIMEOUTS)
        .description("Upstream queries that got no reply in time")
        .tag("server_role", role).register(registry)).increment();
  }

  /**
   * One answer validated (RFC 4035 5), by verdict: secure, insecure, bogus, indeterminate; {@code
   * source} says whether the verdict was computed or reused from the verdict cache.
   */
  public void validation(String security, String source) {
    // Looked up here before any lambda exists: every cache hit counts a verdict, and the lambda
    // below captures this registry, so building it first cost an object per hit.
    Map<String, Counter> bySource = validations.get(security);
    Counter counter = bySource == null ? null : bySource.get(source);
    if (counter == null) {
      counter = meter(validations, security, source, (verdict, from) -> Counter.builder(VALIDATIONS)
          .description("Answers validated (DNSSEC), by verdict")
          .tags("security", verdict, "source", from).register(registry));
    }
    counter.increment();
  }

  /** One finished resolution (cache misses only) and its rcode. */
  public void resolution(String rcode) {
    meter(resolutions, rcode, code -> Counter.builder(RESOLUTIONS)
        .description("Iterative resolutions finished, by rcode")
        .tag("rcode", code).register(registry)).increment();
  }

  private static <M> M meter(Map<String, M> meters, String tag, Function<String, M> register) {
    return meters.computeIfAbsent(tag, register);
  }

  private static <M> M meter(
      Map<String, Map<String, M>> meters, String first, String second, BiFunction<String, String, M> register) {
    // A plain get first: the meters exist after the first answers, and the cache-hit path counts
    // every verdict, so it allocates no lambda for them.
    Map<String, M> byFirst = meters.get(first);
    M meter = byFirst == null ? null : byFirst.get(second);
    if (meter != null) {
      return meter;
    }
    return meters.computeIfAbsent(first, key -> new ConcurrentHashMap<>())
        .computeIfAbsent(second, key -> register.apply(first, key));
  }
}
