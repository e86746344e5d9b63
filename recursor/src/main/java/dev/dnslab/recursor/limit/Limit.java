package dev.dnslab.recursor.limit;

import java.util.Locale;

/** Every limit that bounds what one client or one referral can make the recursor do. */
public enum Limit {
  /** A client network sent more queries per second than its token bucket allows. */
  CLIENT_RATE,
  /** A client network had as many queries being answered as it may have at once. */
  CLIENT_OUTSTANDING,
  /**
   * A referral named more glueless name servers than one delegation may look up (the NXNSAttack,
   * CVE-2020-8616).
   */
  DELEGATION_LOOKUPS;

  /** The metric tag and log name: {@code client_rate}, ... */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
