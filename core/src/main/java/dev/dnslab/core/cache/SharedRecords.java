package dev.dnslab.core.cache;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;

/**
 * One instance of a proof record that many cache entries hold alike. Every name a signed wildcard
 * answers comes with the same NSEC3 record proving the name itself does not exist (RFC 5155 7.2.6,
 * RFC 4035 3.1.3.3) and that record's RRSIG, and every NXDOMAIN of a zone with its SOA's RRSIG and
 * NSEC3s; each reply parses its own copy (an NSEC3's type bitmap a TreeSet of its own, an RRSIG's
 * signature and two Instants), so a cache of 10,000 such names held 10,000 copies of a handful of
 * records. The cache keeps the first it meets instead and drops the reply's: records are immutable
 * and each entry serves its proofs re-made with its own TTL ({@link Ttls}), so a shared one is never
 * edited, and dnsjava's equality (owner, class, type and RDATA; not the TTL, nor the owner's letter
 * case, RFC 4343) says they are the same record.
 *
 * <p>A fixed table, not a map: a slot per hash of owner and type, holding the last record stored
 * there. A record that is not the slot's takes it over, so it never holds more than {@link #SLOTS}
 * records and never needs the entries that share them to say when they go; a proof that two zones'
 * records keep taking from each other is only kept twice, as before.
 */
final class SharedRecords {
  /** Slots: a power of two, far more than the proofs a flood of names under a few zones repeats. */
  static final int SLOTS = 1_024;

  private final AtomicReferenceArray<Record> slots = new AtomicReferenceArray<>(SLOTS);

  /** An equal record already held, or {@code record}, which then is (until another takes its slot). */
  Record shared(Record record) {
    int slot = slotOf(record);
    Record held = slots.get(slot);
    if (held == record) {
      return held;
    }
    if (held != null && held.equals(record)) {
      return held;
    }
    slots.set(slot, record);
    return record;
  }

  /** The records with each replaced by the equal one held; {@code records} itself when none was. */
  List<Record> shared(List<Record> records) {
    Record[] copies = null;
    for (int i = 0, n = records.size(); i < n; i++) {
      Record record = records.get(i);
      Record shared = shared(record);
      if (shared != record && copies == null) {
        copies = records.toArray(new Record[0]);
      }
      if (copies != null) {
        copies[i] = shared;
      }
    }
    return copies == null ? records : List.of(copies);
  }

  /** Forgets every record held, for a cache that forgot everything. */
  void clear() {
    for (int i = 0; i < SLOTS; i++) {
      slots.set(i, null);
    }
  }

  /**
   * The owner's hash (dnsjava keeps it, case-insensitive) and the type, and for an RRSIG the type it
   * covers: an owner's RRSIGs differ by that. Not {@link Record#hashCode()}, which renders the whole
   * record to its wire form.
   */
  private static int slotOf(Record record) {
    int hash = record.getName().hashCode() * 31 + record.getType();
    if (record instanceof RRSIGRecord signature) {
      hash = hash * 31 + signature.getTypeCovered();
    }
    hash ^= hash >>> 16;
    return hash & (SLOTS - 1);
  }
}
