package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheChanges;
import dev.dnslab.core.cache.CacheEntry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.Name;

/**
 * The delegation points {@link IteratorCache#closestDelegation} built from the cache, each kept
 * for the next resolutions below the same cut ({@link DelegationPoint#sharingServers}) while the
 * cache holds exactly what it was built from: the same NS entry (by identity: an entry is replaced,
 * never changed), no change of any of its name servers' data since ({@link CacheChanges}: a stored,
 * replaced, evicted or flushed A or AAAA set moves the name's stamp) and none of the address sets
 * it read expired. A point given out is thus the one a build would make at that moment, the same
 * servers with the same addresses in the same order, TTLs and ranks (RFC 2181 5.4.1) applied as
 * the cache applies them. Every miss below a cached cut built its own (bench/recursor/run.sh
 * miss-unsigned: a new name under one zone each query), with two look-ups per name server. A
 * few slots by the NS entry's identity, the last point built in each.
 */
final class KeptDelegations {
  private static final int SLOTS = 16;

  /**
   * A point built from {@code nameServers}, never given out itself; {@code expiresAt} is the
   * soonest expiry of the address sets it holds, {@code stamps} the stamps of its name servers'
   * {@code stripes} when it was built.
   */
  private record Kept(CacheEntry.Positive nameServers, DelegationPoint point, long expiresAt, int[] stripes,
      long[] stamps) {}

  private final CacheChanges changes;
  private final AtomicReferenceArray<Kept> slots = new AtomicReferenceArray<>(SLOTS);

  KeptDelegations(CacheChanges changes) {
    this.changes = requireNonNull(changes, "changes");
  }

  /**
   * A point named {@code zone} sharing the one kept for {@code nameServers} (a fresh entry the
   * caller just read from the cache), or null when none is kept or what it was built from changed
   * or expired by {@code now}.
   */
  DelegationPoint reuse(Name zone, CacheEntry.Positive nameServers, long now) {
    Kept kept = slots.get(slot(nameServers));
    if (kept == null || kept.nameServers() != nameServers || kept.expiresAt() <= now) {
      return null;
    }
    int[] stripes = kept.stripes();
    long[] stamps = kept.stamps();
    for (int i = 0; i < stripes.length; i++) {
      if (changes.stamp(stripes[i]) != stamps[i]) {
        return null;
      }
    }
    return kept.point().sharingServers(zone);
  }

  /**
   * Keeps {@code built}, just built from {@code nameServers} and address sets the first of which
   * expires at {@code expiresAt}, and returns the point to give out in its place. Not kept when a
   * change of the cache started after {@code startedBefore} (read before the build read the
   * cache): the stamps read now might then not describe what the build read.
   */
  DelegationPoint keep(CacheEntry.Positive nameServers, DelegationPoint built, long expiresAt, long startedBefore) {
    List<Name> servers = built.nameServerNames();
    int[] stripes = new int[servers.size()];
    long[] stamps = new long[stripes.length];
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = changes.stripe(servers.get(i));
      stamps[i] = changes.stamp(stripes[i]);
    }
    if (changes.started() != startedBefore) {
      return built;
    }
    DelegationPoint given = built.sharingServers(built.zone());
    slots.set(slot(nameServers), new Kept(nameServers, built, expiresAt, stripes, stamps));
    return given;
  }

  private static int slot(CacheEntry.Positive nameServers) {
    return System.identityHashCode(nameServers) & (SLOTS - 1);
  }
}
