package dev.dnslab.recursor.iterator;

import org.xbill.DNS.ExtendedErrorCodeOption;

/**
 * An Extended DNS Error (RFC 8914) the recursor attaches to a failed answer, so that a client (and
 * a learner with dig) sees why beside the bare SERVFAIL.
 *
 * @param code the INFO-CODE
 * @param text the EXTRA-TEXT, for people
 */
public record ExtendedError(int code, String text) {
  /** RFC 8914 4.23: no authoritative server of the zone could be reached or gave a usable reply. */
  static ExtendedError noReachableAuthority(String why) {
    return new ExtendedError(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, why);
  }
}
