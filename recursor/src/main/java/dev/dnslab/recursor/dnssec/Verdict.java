package dev.dnslab.recursor.dnssec;

import static java.util.Objects.requireNonNull;

import org.xbill.DNS.ExtendedErrorCodeOption;

/**
 * A verdict with the RFC 8914 Extended DNS Error to put on the wire ({@link #NO_EDE}: none) and an
 * EXTRA-TEXT that names the zone, and the server when known, e.g. {@code RRSIG for www.google.com./A
 * expired at 2026-01-01T00:00:00Z (zone google.com., server 127.0.0.1)}.
 *
 * <p>An {@link Security#INSECURE} verdict carries EDE 1 (Unsupported DNSKEY Algorithm) or 2
 * (Unsupported DS Digest Type) when that is why it is insecure (RFC 4035 5.2): informational, the
 * answer is still served.
 */
public record Verdict(Security security, int edeCode, String reason) {
  /** No Extended DNS Error. */
  public static final int NO_EDE = -1;

  public Verdict {
    requireNonNull(security, "security");
    requireNonNull(reason, "reason");
    if (edeCode < NO_EDE || edeCode > 0xFFFF) {
      throw new IllegalArgumentException("edeCode: " + edeCode + " (expected: -1 or 0..65535)");
    }
  }

  public static Verdict secure(String reason) {
    return new Verdict(Security.SECURE, NO_EDE, reason);
  }

  /** Proven unsigned: no EDE. */
  public static Verdict insecure(String reason) {
    return new Verdict(Security.INSECURE, NO_EDE, reason);
  }

  /** Insecure because only unsupported algorithms (EDE 1) or digest types (EDE 2) were found. */
  public static Verdict insecure(int edeCode, String reason) {
    return new Verdict(Security.INSECURE, edeCode, reason);
  }

  /** Bogus, with EDE 6 (DNSSEC Bogus), 7, 8, 9, 10 or 12 as RFC 8914 4 describes. */
  public static Verdict bogus(int edeCode, String reason) {
    return new Verdict(Security.BOGUS, edeCode, reason);
  }

  /** Bogus without a more precise code: EDE 6, DNSSEC Bogus. */
  public static Verdict bogus(String reason) {
    return bogus(ExtendedErrorCodeOption.DNSSEC_BOGUS, reason);
  }

  /** No verdict: EDE 5 (DNSSEC Indeterminate) or 22 (No Reachable Authority). */
  public static Verdict indeterminate(int edeCode, String reason) {
    return new Verdict(Security.INDETERMINATE, edeCode, reason);
  }

  public boolean isSecure() {
    return security == Security.SECURE;
  }

  /** Bogus or indeterminate: the recursor answers SERVFAIL unless the client set CD. */
  public boolean isFailure() {
    return security == Security.BOGUS || security == Security.INDETERMINATE;
  }
}
