package dev.dnslab.core.cache;

import dev.dnslab.core.wire.NameSpelling;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.Name;

/**
 * One instance of a zone name for the entries filed under it, as long as it is spelled the same,
 * letter case included: the resolver names each cut as the question spelled it (a copy per
 * resolution, unless AncestorNames shared a lower-case one), and the cache and its views show an
 * entry's zone as it was given. Under a flood of new names below one zone every entry kept its
 * own copy of that zone's name (~64 bytes of heap). A few slots by hash, the last name seen in
 * each: no bound to keep, and a name that misses its slot is only kept as given.
 */
final class ZoneNames {
  private static final int SLOTS = 16;

  /** A held name, and whether it is all lower case (then so is any name spelled like it). */
  private record Held(Name name, boolean lowerCase) {}

  private final AtomicReferenceArray<Held> slots = new AtomicReferenceArray<>(SLOTS);

  /** The instance already held for {@code zone} spelled the same, or {@code zone}, now held. */
  Name shared(Name zone) {
    int slot = zone.hashCode() & (SLOTS - 1);
    Held held = slots.get(slot);
    if (held != null && held.name() == zone) {
      return zone;
    }
    // Name.equals first: nothing compared for a name of another zone in this slot.
    if (held != null && held.name().equals(zone) && spelledAlike(held, zone)) {
      return held.name();
    }
    slots.set(slot, new Held(zone, NameSpelling.isLowerCase(zone)));
    return zone;
  }

  /**
   * Whether {@code zone}, equal to the held name but for letter case (RFC 4343), is spelled like it.
   * A held name in lower case, the usual spelling, is matched by a lower-case test of {@code zone}
   * that copies nothing when it is lower case too; comparing wire forms, the other way, copies both.
   */
  private static boolean spelledAlike(Held held, Name zone) {
    return held.lowerCase() ? NameSpelling.isLowerCase(zone) : NameSpelling.same(held.name(), zone);
  }
}
