package dev.dnslab.core.cache;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The meters of a {@link RecordCache}, whichever role holds it: one name per quantity and the
 * role in a tag ({@code dns_cache_lookups_total{role="router",result="hit"}}), like the engine's
 * {@code dns_*} meters, so a dashboard compares the recursor's cache with the router's.
 */
public final class CacheMetrics {
  public static final String LOOKUPS = "dns.cache.lookups";
  public static final String ENTRIES = "dns.cache.entries";
  public static final String BYTES = "dns.cache.bytes";
  public static final String EVICTIONS = "dns.cache.evictions";

  private final MeterRegistry registry;
  private final String role;
  private final Counter hits;
  private final Counter misses;
  private final Counter evictions;

  public CacheMetrics(MeterRegistry registry, String role) {
    this.registry = requireNonNull(registry, "registry");
    this.role = requireNonNull(role, "role");
    this.hits = Counter.builder(LOOKUPS).description("Client queries looked up in the cache")
        .tags("role", role, "result", "hit").register(registry);
    this.misses = Counter.builder(LOOKUPS).description("Client queries looked up in the cache")
        .tags("role", role, "result", "miss").register(registry);
    this.evictions = Counter.builder(EVICTIONS).description("Cache entries removed to stay under the size bound")
        .tag("role", role).register(registry);
  }

  /** Publishes the cache's size; called once by the cache it measures. */
  void entries(Supplier<Number> size) {
    Gauge.builder(ENTRIES, size).description("RRsets and negative entries in the cache")
        .tag("role", role).register(registry);
  }

  /** Publishes the heap the cache's entries are estimated to hold; called once by the cache it measures. */
  void bytes(Supplier<Number> retained) {
    Gauge.builder(BYTES, retained).description("Estimated heap held by the cache's entries")
        .baseUnit("bytes").tag("role", role).register(registry);
  }

  public void hit() {
    hits.increment();
  }

  public void miss() {
    misses.increment();
  }

  void evicted(int count) {
    evictions.increment(count);
  }
}
