package dev.dnslab.recursor.iterator;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Asks for what the validator will need of a zone cut while the walk goes on, as Unbound's
 * iterator does when a referral carries a DS ({@code generate_dnskey_prefetch}): the DNSKEY RRsets
 * of a signed cut, the DS denial of an unsigned one. The keys of every zone of a cold walk are then
 * fetched beside it, not one after another once it has ended; the validator finds them in the
 * cache, or joins the fetch still in flight.
 */
@FunctionalInterface
interface KeyPrefetch {
  /** Prefetches nothing: a resolver that does not validate. */
  KeyPrefetch NONE = (name, type, signedByName) -> {};

  /**
   * Starts resolving {@code name}/{@code type} (DNSKEY or DS) unless the validator already judged
   * the zone at {@code name} or the question is on its way; never blocks, never throws. For a
   * DNSKEY RRset, once it (or the validator's verdict on it) is in, has the validator verify ahead
   * the signatures it will check with those keys: the set's own and those over {@code
   * signedByName}, records of a referral's delegation proof (with their RRSIGs) the zone signed.
   */
  void fetch(Name name, int type, List<Record> signedByName);
}
