package dev.dnslab.core.cookie;

import java.util.Locale;

/**
 * What a query's COOKIE option proves, in the cases of RFC 7873 5.2 (a malformed option never gets
 * this far: dnsjava refuses to parse it and the decoder answers FORMERR, 5.2.2).
 */
public enum CookieStatus {
  /** No OPT or no COOKIE option (5.2.1): answered as always. */
  ABSENT,
  /** A client cookie alone (5.2.3): the client has not learned our server cookie yet. */
  CLIENT_ONLY,
  /** A server cookie we did not make, for another address, or out of its lifetime (5.2.4). */
  INVALID,
  /** A server cookie we made for this client cookie and address, still fresh (5.2.5). */
  VALID;

  /** The {@code result} tag of {@code dns_cookies_total}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
