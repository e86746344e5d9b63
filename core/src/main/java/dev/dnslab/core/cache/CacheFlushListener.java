package dev.dnslab.core.cache;

import java.util.Map;
import org.xbill.DNS.Name;

/**
 * What else a role forgets when an operator flushes its {@link RecordCache} ({@code POST /cache/flush},
 * {@link CacheRoutes}): what it keeps beside the cache, judged or made from cached data (the
 * recursor's DNSSEC verdicts, its validated keys, its RFC 8198 proofs), so that nothing outlives
 * the data it came from and a flush makes the next answer come from the name servers again. Core
 * knows only this interface; the role that keeps such things registers itself.
 *
 * <pre>{@code
 * new CacheRoutes(cache, resolver.validationFlush()).addTo(admin);
 * }</pre>
 */
public interface CacheFlushListener {
  /** For a role that keeps nothing beside its cache. */
  CacheFlushListener NONE = new CacheFlushListener() {
    @Override
    public Map<String, Integer> flushedAll() {
      return Map.of();
    }

    @Override
    public Map<String, Integer> flushed(Name name) {
      return Map.of();
    }
  };

  /** The cache was emptied: forget everything; returns how many of what went, for the flush's answer. */
  Map<String, Integer> flushedAll();

  /** Every entry of {@code name} went: forget what was about that name; returns how many of what went. */
  Map<String, Integer> flushed(Name name);
}
