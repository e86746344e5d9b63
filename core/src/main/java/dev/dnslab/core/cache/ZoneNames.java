package dev.dnslab.core.cache;

import dev.dnslab.core.wire.NameSpelling;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.Name;

/**
 * One instance of a zone name for the entries filed under it, as long as it is spelled the same,
 * letter case included: the resolver names each cut as the question spelled it (its own copy per
 * resolution), and the cache and its views show an entry's zone as it was given. Under a flood of
 * new names below one zone every entry kept its own copy of that zone's name (~64 bytes of heap).
 * A few slots by hash, the last name seen in each: no bound to keep, and a name that misses its
 * slot is only kept as given.
 */
final class ZoneNames {
  private static final int SLOTS = 16;

  private final AtomicReferenceArray<Name> slots = new AtomicReferenceArray<>(SLOTS);

  /** The instance already held for {@code zone} spelled the same, or {@code zone}, now held. */
  Name shared(Name zone) {
    int slot = zone.hashCode() & (SLOTS - 1);
    Name held = slots.get(slot);
    if (held == zone) {
      return zone;
    }
    // Name.equals first: no wire copies for a name of another zone in this slot.
    if (held != null && held.equals(zone) && NameSpelling.same(held, zone)) {
      return held;
    }
    slots.set(slot, zone);
    return zone;
  }
}
