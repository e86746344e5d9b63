package dev.dnslab.recursor.dnssec;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The caps that keep validating one answer cheap however hostile the zone. Exceeding a work cap
 * makes the answer {@link Security#BOGUS} at once, with a reason that names the cap. The recursor's
 * values, each with its reason (KeyTrap, CVE-2023-50387; NSEC3 hashing, CVE-2023-50868; RFC 9276;
 * RFC 9520), are named with every other budget of a resolution in {@code
 * dev.dnslab.recursor.iterator.ResolutionLimits}; this record only carries them, so the validator
 * depends on nothing of the iterator.
 *
 * @param maxKeysPerTag DNSKEYs with the same key tag and algorithm tried for one RRSIG
 * @param maxSignatureVerifications {@code DNSSEC.verify} calls for one validation
 * @param maxNsec3Hashes NSEC3 owner names hashed for one validation
 * @param maxNsec3Iterations NSEC3 iterations above which a denial is treated as insecure
 * @param maxChainDepth zones in one chain of trust, from the anchor down
 * @param maxKeyFetches DS and DNSKEY fetches from the {@link KeySource} for one validation
 * @param keyFetchTimeout how long one fetch may take before the verdict is indeterminate
 * @param maxKeyTtl the longest a validated DNSKEY or DS verdict is kept in the key cache
 * @param bogusKeyTtl how long a bogus key verdict is kept the first time (RFC 9520 3.2)
 * @param maxBogusKeyTtl the longest a repeatedly bogus key verdict is kept (RFC 9520 3.2)
 * @param keyCacheSize zones kept in the key cache; the oldest is dropped beyond it
 */
public record ValidationLimits(
    int maxKeysPerTag,
    int maxSignatureVerifications,
    int maxNsec3Hashes,
    int maxNsec3Iterations,
    int maxChainDepth,
    int maxKeyFetches,
    Duration keyFetchTimeout,
    Duration maxKeyTtl,
    Duration bogusKeyTtl,
    Duration maxBogusKeyTtl,
    int keyCacheSize) {

  public ValidationLimits {
    positive("maxKeysPerTag", maxKeysPerTag);
    positive("maxSignatureVerifications", maxSignatureVerifications);
    positive("maxNsec3Hashes", maxNsec3Hashes);
    if (maxNsec3Iterations < 0) {
      throw new IllegalArgumentException("maxNsec3Iterations: " + maxNsec3Iterations + " (expected: >= 0)");
    }
    positive("maxChainDepth", maxChainDepth);
    positive("maxKeyFetches", maxKeyFetches);
    positive("keyFetchTimeout", keyFetchTimeout);
    positive("maxKeyTtl", maxKeyTtl);
    positive("bogusKeyTtl", bogusKeyTtl);
    positive("maxBogusKeyTtl", maxBogusKeyTtl);
    positive("keyCacheSize", keyCacheSize);
    if (maxBogusKeyTtl.compareTo(bogusKeyTtl) < 0) {
      throw new IllegalArgumentException(
          "maxBogusKeyTtl: " + maxBogusKeyTtl + " (expected: >= bogusKeyTtl " + bogusKeyTtl + ")");
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
    }
  }

  private static void positive(String name, Duration value) {
    requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
