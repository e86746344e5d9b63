package dev.dnslab.recursor.iterator;

import dev.dnslab.recursor.dnssec.Validation;
import dev.dnslab.recursor.dnssec.Verdict;
import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * How a resolution ended: the rcode, the answer section (CNAMEs first, then the data), the
 * authority section (the SOA of a negative answer), for SERVFAIL why, whether it came from the
 * cache, and whether it is a stale answer (RFC 8767) because no authority answered.
 *
 * <p>What DNSSEC needs comes beside them, so that callers which never asked with DO see the same
 * sections as before: {@code answerSignatures}, the RRSIGs over the answer's RRsets; {@code
 * proofs}, the SOA's RRSIGs and the NSEC/NSEC3 records (with RRSIGs) of a negative answer (RFC
 * 4035 3.1.1, 3.1.3); both empty from an unsigned zone or with DNSSEC off. For SERVFAIL, {@code
 * edeCode} is the RFC 8914 Extended DNS Error to put on the wire (-1: none), and {@code failure}
 * its EXTRA-TEXT, naming the zone and the servers. {@code validation} is what validation concluded
 * (RFC 4035 5) and the chain of trust it walked, null when the answer was not validated
 * (validation off, or the client set CD).
 */
public record Outcome(
    int rcode,
    List<Record> answer,
    List<Record> authority,
    String failure,
    boolean fromCache,
    boolean stale,
    List<Record> answerSignatures,
    List<Record> proofs,
    int edeCode,
    Validation validation) {
  /** No Extended DNS Error (RFC 8914 codes start at 0, "Other"). */
  public static final int NO_EDE = -1;

  public Outcome(int rcode, List<Record> answer, List<Record> authority, String failure, boolean fromCache,
      boolean stale, List<Record> answerSignatures, List<Record> proofs, int edeCode) {
    this(rcode, answer, authority, failure, fromCache, stale, answerSignatures, proofs, edeCode, null);
  }

  public Outcome {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
    answerSignatures = List.copyOf(answerSignatures);
    proofs = List.copyOf(proofs);
  }

  public Outcome(
      int rcode, List<Record> answer, List<Record> authority, String failure, boolean fromCache, boolean stale) {
    this(rcode, answer, authority, failure, fromCache, stale, List.of(), List.of(), NO_EDE);
  }

  public Outcome(int rcode, List<Record> answer, List<Record> authority, String failure, boolean fromCache) {
    this(rcode, answer, authority, failure, fromCache, false);
  }

  /** A SERVFAIL with the RFC 8914 code and EXTRA-TEXT that explain it. */
  static Outcome servfail(int edeCode, String failure, boolean fromCache) {
    return new Outcome(Rcode.SERVFAIL, List.of(), List.of(), failure, fromCache, false, List.of(), List.of(),
        edeCode);
  }

  /** This outcome, validated: its verdict says secure, insecure, bogus or indeterminate. */
  public Outcome withValidation(Validation validation) {
    return new Outcome(rcode, answer, authority, failure, fromCache, stale, answerSignatures, proofs, edeCode,
        validation);
  }

  /** What validation concluded, or null when the answer was not validated. */
  public Verdict verdict() {
    return validation == null ? null : validation.verdict();
  }

  /** Whether validation proved this answer secure (RFC 4035 3.2.3: what AD says). */
  public boolean secure() {
    Verdict verdict = verdict();
    return verdict != null && verdict.isSecure();
  }

  /**
   * A stale answer (RFC 8767): data or a negative answer kept past its TTL, served because no
   * authority answered.
   */
  static Outcome stale(int rcode, List<Record> answer, List<Record> authority, List<Record> answerSignatures,
      List<Record> proofs) {
    return new Outcome(rcode, answer, authority, null, true, true, answerSignatures, proofs, NO_EDE);
  }
}
