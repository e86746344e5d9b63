package dev.dnslab.core.cache;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys of a {@link RecordCache}'s entries in the order they leave it when it is full: soonest
 * to expire first, so what is past the serve-stale window goes before what is stale (RFC 8767),
 * and that before anything fresh. One bucket per second of expiry, keys in the order they came:
 * adding to the bucket of the second just added to (the usual case, a flood of answers of one
 * TTL) and taking the first key are O(1); a new second costs one look-up in the tree of seconds,
 * which holds one node per distinct expiry, not per entry.
 *
 * <p>It may hold keys whose entry went or was replaced by one of another expiry since (flushed,
 * evicted, refreshed): the cache checks each key it takes against what it holds, and calls {@link
 * #removeIf} when such keys pile up. Not thread-safe: the cache guards it.
 */
final class ExpiryQueue<K> {
  /** Tests whether a key queued for an expiry still stands for an entry of the cache. */
  @FunctionalInterface
  interface Liveness<K> {
    boolean holds(K key, long expiresAt);
  }

  private final TreeMap<Long, ArrayDeque<K>> bySecond = new TreeMap<>();
  /** The bucket last added to, and its second: the next add is most likely to the same one. */
  private ArrayDeque<K> lastBucket;
  private long lastSecond;
  private int size;

  void add(K key, long expiresAt) {
    if (lastBucket == null || lastSecond != expiresAt) {
      lastBucket = bySecond.computeIfAbsent(expiresAt, s -> new ArrayDeque<>());
      lastSecond = expiresAt;
    }
    lastBucket.addLast(key);
    size++;
  }

  /** How many keys are queued, those that no longer stand for an entry included. */
  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /**
   * The first key's expiry; {@link Long#MAX_VALUE} when empty. From the tree's first key, not its
   * first entry: {@code TreeMap.firstEntry} makes a copy of the entry, and a full cache asks this
   * several times for every key it evicts.
   */
  long firstExpiry() {
    return bySecond.isEmpty() ? Long.MAX_VALUE : bySecond.firstKey();
  }

  /** Takes the first key off (the one {@link #firstExpiry()} dated); null when empty. */
  K poll() {
    if (bySecond.isEmpty()) {
      return null;
    }
    Long second = bySecond.firstKey();
    ArrayDeque<K> bucket = bySecond.get(second);
    K key = bucket.pollFirst();
    size--;
    if (bucket.isEmpty()) {
      forget(second, bucket);
    }
    return key;
  }

  /** Drops every key for which {@code liveness} no longer holds; returns how many went. */
  int removeIf(Liveness<K> liveness) {
    int removed = 0;
    for (Iterator<Map.Entry<Long, ArrayDeque<K>>> it = bySecond.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, ArrayDeque<K>> e = it.next();
      long second = e.getKey();
      ArrayDeque<K> bucket = e.getValue();
      int before = bucket.size();
      bucket.removeIf(key -> !liveness.holds(key, second));
      removed += before - bucket.size();
      if (bucket.isEmpty()) {
        it.remove();
        if (bucket == lastBucket) {
          lastBucket = null;
        }
      }
    }
    size -= removed;
    return removed;
  }

  private void forget(long second, ArrayDeque<K> bucket) {
    bySecond.remove(second);
    if (bucket == lastBucket) {
      lastBucket = null;
    }
  }
}
