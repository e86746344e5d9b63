package dev.dnslab.recursor.limit;

import static java.util.Objects.requireNonNull;

import dev.dnslab.recursor.RecursorMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when a {@link Limit} bites: every time on {@code dns_recursor_limited_total{limit}}, and in
 * the log at most once per {@link #LOG_INTERVAL} per limit, with how many more bit since the last
 * line. A flood that trips a limit a million times must not write a million log lines.
 */
public final class LimitReporter {
  /** One line per limit per ten seconds: enough to notice, too few to fill a disk. */
  static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(LimitReporter.class);

  private final Map<Limit, Counter> counters = new EnumMap<>(Limit.class);
  private final Map<Limit, AtomicLong> nextLineNanos = new EnumMap<>(Limit.class);
  private final Map<Limit, AtomicLong> unlogged = new EnumMap<>(Limit.class);

  public LimitReporter(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    long now = System.nanoTime();
    for (Limit limit : Limit.values()) {
      counters.put(limit, Counter.builder(RecursorMetrics.LIMITED)
          .description("Queries or name server lookups a per-client or per-referral limit stopped")
          .tag("limit", limit.tag()).register(registry));
      nextLineNanos.put(limit, new AtomicLong(now));
      unlogged.put(limit, new AtomicLong());
    }
  }

  /** {@code limit} bit; {@code detail} says whom and how (a client network, a zone). */
  public void reached(Limit limit, String detail) {
    counters.get(limit).increment();
    AtomicLong next = nextLineNanos.get(limit);
    long now = System.nanoTime();
    long due = next.get();
    if (now - due >= 0 && next.compareAndSet(due, now + LOG_INTERVAL.toNanos())) {
      long more = unlogged.get(limit).getAndSet(0);
      log.warn("limit {} reached: {}{}", limit.tag(), detail,
          more > 0 ? " (and " + more + " more times in the last " + LOG_INTERVAL.toSeconds() + " s)" : "");
    } else {
      unlogged.get(limit).incrementAndGet();
    }
  }

  public double count(Limit limit) {
    return counters.get(limit).count();
  }
}
