package dev.dnslab.recursor.iterator;

import org.xbill.DNS.Name;

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
  KeyPrefetch NONE = (name, type) -> {};

  /**
   * Starts resolving {@code name}/{@code type} (DNSKEY or DS) unless the validator already judged
   * the zone at {@code name} or the question is on its way; never blocks, never throws.
   */
  void fetch(Name name, int type);
}
