package dev.dnslab.recursor.dnssec;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.function.Supplier;
import org.xbill.DNS.ExtendedErrorCodeOption;

/**
 * A verdict with the RFC 8914 Extended DNS Error to put on the wire ({@link #NO_EDE}: none) and an
 * EXTRA-TEXT that names the zone, and the server when known, e.g. {@code RRSIG for www.google.com./A
 * expired at 2026-01-01T00:00:00Z (zone google.com., server 127.0.0.1)}.
 *
 * <p>An {@link Security#INSECURE} verdict carries EDE 1 (Unsupported DNSKEY Algorithm) or 2
 * (Unsupported DS Digest Type) when that is why it is insecure (RFC 4035 5.2): informational, the
 * answer is still served.
 *
 * <p>A secure verdict's text may be rendered when read ({@link #secure(Supplier)}): it goes on no
 * wire (only a failure's or an insecure EDE's does), only into {@code /trace}, yet the recursor keeps
 * one verdict per cached answer, and each secure answer's text names its own question (~150 bytes
 * under a flood of new signed names). Equality is by security, EDE and text, as a record's would be.
 */
public final class Verdict {
  /** No Extended DNS Error. */
  public static final int NO_EDE = -1;

  private final Security security;
  private final int edeCode;
  /** The text, or what renders it when read. */
  private final Object reason;

  private Verdict(Security security, int edeCode, Object reason) {
    this.security = requireNonNull(security, "security");
    this.reason = requireNonNull(reason, "reason");
    if (edeCode < NO_EDE || edeCode > 0xFFFF) {
      throw new IllegalArgumentException("edeCode: " + edeCode + " (expected: -1 or 0..65535)");
    }
    this.edeCode = edeCode;
  }

  public static Verdict secure(String reason) {
    return new Verdict(Security.SECURE, NO_EDE, reason);
  }

  /**
   * Secure, with a text rendered each time it is read: what {@code reason} captures (names the
   * answer's records hold anyway) is kept instead of the text.
   */
  public static Verdict secure(Supplier<String> reason) {
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

  public Security security() {
    return security;
  }

  public int edeCode() {
    return edeCode;
  }

  /** Why, in words (the EDE's EXTRA-TEXT). */
  @SuppressWarnings("unchecked")
  public String reason() {
    return reason instanceof String text ? text : ((Supplier<String>) reason).get();
  }

  public boolean isSecure() {
    return security == Security.SECURE;
  }

  /** Bogus or indeterminate: the recursor answers SERVFAIL unless the client set CD. */
  public boolean isFailure() {
    return security == Security.BOGUS || security == Security.INDETERMINATE;
  }

  @Override
  public boolean equals(Object other) {
    return other == this || other instanceof Verdict verdict && verdict.security == security
        && verdict.edeCode == edeCode && verdict.reason().equals(reason());
  }

  @Override
  public int hashCode() {
    return Objects.hash(security, edeCode, reason());
  }

  @Override
  public String toString() {
    return "Verdict[security=" + security + ", edeCode=" + edeCode + ", reason=" + reason() + "]";
  }
}
