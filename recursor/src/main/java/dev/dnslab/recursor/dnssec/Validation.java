package dev.dnslab.recursor.dnssec;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The result of validating one answer: the verdict, the chain of trust from the anchor down (one
 * {@link ChainLink} per zone, in order), and the work it took.
 */
public record Validation(Verdict verdict, List<ChainLink> chain, ValidationWork work) {
  public Validation {
    requireNonNull(verdict, "verdict");
    requireNonNull(work, "work");
    chain = List.copyOf(chain);
  }

  public Validation(Verdict verdict, List<ChainLink> chain) {
    this(verdict, chain, ValidationWork.NONE);
  }

  /**
   * What one validation cost, counted against {@link ValidationLimits}: signature verifications
   * (each one {@code DNSSEC.verify}), NSEC3 owner-name hashes, and DS/DNSKEY fetches from the
   * {@link KeySource} (zero when the key cache was warm).
   */
  public record ValidationWork(int signatureVerifications, int nsec3Hashes, int keyFetches) {
    public static final ValidationWork NONE = new ValidationWork(0, 0, 0);
  }
}
