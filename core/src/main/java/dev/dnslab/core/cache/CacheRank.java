package dev.dnslab.core.cache;

/**
 * How much a cached RRset is trusted, after RFC 2181 5.4.1: data from an authoritative answer
 * outranks the NS records of a referral, which outrank glue. Lower-ranked data never replaces
 * fresher higher-ranked data, and only {@link #ANSWER} data is ever served to clients.
 */
public enum CacheRank {
  /** Addresses from the additional section of a referral: used only to reach name servers. */
  GLUE,
  /** The NS records of a referral (the parent's copy of the child's NS set). */
  REFERRAL,
  /** The answer section of an authoritative reply. */
  ANSWER;

  public boolean atLeast(CacheRank other) {
    // The declaration order, as compareTo gives it, without its class checks: asked on every hit.
    return ordinal() >= other.ordinal();
  }
}
