package dev.dnslab.cli.visit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A host-name cache with TTLs: the browser's ("브라우저 캐시", Chromium keeps an address for a minute)
 * and the operating system's ("OS 캐시", what nscd or systemd-resolved keep for the record's TTL).
 * Times are wall-clock milliseconds so that entries survive from one {@code visit} to the next.
 */
public final class HostCache {
  /** Chromium's HostCache keeps a DNS result for one minute, whatever its TTL. */
  public static final long BROWSER_LIFETIME_SECONDS = 60;

  /** One cached lookup. */
  public record Entry(List<String> addresses, long expiresAtMillis) {
    public Entry {
      addresses = List.copyOf(requireNonNull(addresses, "addresses"));
    }

    public long remainingSeconds(long nowMillis) {
      return Math.max(0, (expiresAtMillis - nowMillis + 999) / 1000);
    }
  }

  private final Map<String, Entry> entries;
  private final Clock clock;

  public HostCache(Map<String, Entry> entries, Clock clock) {
    this.entries = new TreeMap<>(requireNonNull(entries, "entries"));
    this.clock = requireNonNull(clock, "clock");
  }

  /** A fresh entry for {@code host}, or null; expired entries are dropped on the way. */
  public Entry get(String host) {
    String key = key(host);
    Entry entry = entries.get(key);
    if (entry != null && entry.expiresAtMillis() <= clock.millis()) {
      entries.remove(key);
      return null;
    }
    return entry;
  }

  public void put(String host, List<String> addresses, long ttlSeconds) {
    entries.put(key(host), new Entry(addresses, clock.millis() + ttlSeconds * 1000));
  }

  public void clear() {
    entries.clear();
  }

  /** The fresh entries, for saving. */
  public Map<String, Entry> entries() {
    long now = clock.millis();
    entries.values().removeIf(e -> e.expiresAtMillis() <= now);
    return new TreeMap<>(entries);
  }

  public long now() {
    return clock.millis();
  }

  private static String key(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
