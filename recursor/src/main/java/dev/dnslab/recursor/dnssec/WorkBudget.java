package dev.dnslab.recursor.dnssec;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work one validation has done, checked against {@link ValidationLimits} at every step: a
 * validation that would pass a cap stops at once with {@link WorkLimitExceededException}, which the
 * {@link Validator} turns into a bogus verdict naming the cap. Atomic because the steps of one
 * validation run on whichever thread completed the key fetch before them.
 */
final class WorkBudget {
  private final ValidationLimits limits;
  private final AtomicInteger verifications = new AtomicInteger();
  private final AtomicInteger nsec3Hashes = new AtomicInteger();
  private final AtomicInteger keyFetches = new AtomicInteger();

  WorkBudget(ValidationLimits limits) {
    this.limits = limits;
  }

  ValidationLimits limits() {
    return limits;
  }

  /** One {@code DNSSEC.verify} is about to run (KeyTrap, CVE-2023-50387). */
  void verification() {
    if (verifications.incrementAndGet() > limits.maxSignatureVerifications()) {
      throw new WorkLimitExceededException("more than " + limits.maxSignatureVerifications()
          + " signature verifications for one answer (KeyTrap limit, CVE-2023-50387)");
    }
  }

  /** One NSEC3 owner name is about to be hashed (CVE-2023-50868). */
  void nsec3Hash() {
    if (nsec3Hashes.incrementAndGet() > limits.maxNsec3Hashes()) {
      throw new WorkLimitExceededException("more than " + limits.maxNsec3Hashes()
          + " NSEC3 hash computations for one answer (NSEC3 limit, CVE-2023-50868)");
    }
  }

  /** One DS or DNSKEY fetch is about to be sent to the key source. */
  void keyFetch() {
    if (keyFetches.incrementAndGet() > limits.maxKeyFetches()) {
      throw new WorkLimitExceededException("more than " + limits.maxKeyFetches() + " DS/DNSKEY fetches for one answer");
    }
  }

  Validation.ValidationWork work() {
    if (verifications.get() == 0 && nsec3Hashes.get() == 0 && keyFetches.get() == 0) {
      return Validation.ValidationWork.NONE; // an answer judged from the key cache alone
    }
    return Validation.ValidationWork.of(
        Math.min(verifications.get(), limits.maxSignatureVerifications()),
        Math.min(nsec3Hashes.get(), limits.maxNsec3Hashes()),
        Math.min(keyFetches.get(), limits.maxKeyFetches()));
  }

  /** A cap of {@link ValidationLimits} was reached: the answer is bogus (RFC 4035 5.3.3 lets us give up). */
  static final class WorkLimitExceededException extends RuntimeException {
    WorkLimitExceededException(String message) {
      super(message, null, false, false);
    }
  }
}
