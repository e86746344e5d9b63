package dev.dnslab.recursor.dnssec;

/**
 * What validation concluded about an answer (RFC 4033 5, RFC 4035 4.3).
 *
 * <ul>
 *   <li>{@link #SECURE}: a chain of signed DNSKEY and DS RRsets from a trust anchor to the data;
 *       the recursor may set AD.
 *   <li>{@link #INSECURE}: proven to lie under an unsigned delegation (or one signed only with
 *       algorithms or digests we do not implement, RFC 4035 5.2); served without AD.
 *   <li>{@link #BOGUS}: should be signed, but a signature, key or proof is missing or wrong; never
 *       served without CD (SERVFAIL).
 *   <li>{@link #INDETERMINATE}: the keys could not be fetched, so no verdict (SERVFAIL).
 * </ul>
 */
public enum Security {
  SECURE,
  INSECURE,
  BOGUS,
  INDETERMINATE
}
