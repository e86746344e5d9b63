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

    /** Counts up to these (exclusive) come from {@link #SHARED}; a warm validator's answers stay below them. */
    private static final int SHARED_VERIFICATIONS = 16;
    private static final int SHARED_HASHES = 16;
    private static final int SHARED_FETCHES = 4;
    /**
     * One instance per small count triple, made when first needed: the recursor keeps a validation
     * per cached answer, and answers alike (every name under one wildcard) cost alike. Racy on
     * purpose: a lost write only means one more equal instance.
     */
    private static final ValidationWork[] SHARED =
        new ValidationWork[SHARED_VERIFICATIONS * SHARED_HASHES * SHARED_FETCHES];

    /** The work counted, as an instance shared with every other validation that counted the same. */
    public static ValidationWork of(int signatureVerifications, int nsec3Hashes, int keyFetches) {
      if (signatureVerifications < 0 || signatureVerifications >= SHARED_VERIFICATIONS || nsec3Hashes < 0
          || nsec3Hashes >= SHARED_HASHES || keyFetches < 0 || keyFetches >= SHARED_FETCHES) {
        return new ValidationWork(signatureVerifications, nsec3Hashes, keyFetches);
      }
      if (signatureVerifications == 0 && nsec3Hashes == 0 && keyFetches == 0) {
        return NONE;
      }
      int slot = (signatureVerifications * SHARED_HASHES + nsec3Hashes) * SHARED_FETCHES + keyFetches;
      ValidationWork shared = SHARED[slot];
      if (shared == null) {
        shared = new ValidationWork(signatureVerifications, nsec3Hashes, keyFetches);
        SHARED[slot] = shared;
      }
      return shared;
    }
  }
}
