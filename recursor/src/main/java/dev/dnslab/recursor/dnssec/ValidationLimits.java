package dev.dnslab.recursor.dnssec;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The caps that keep validating one answer cheap however hostile the zone, like {@code
 * ResolutionLimits} for the iterator. Exceeding a work cap makes the answer {@link Security#BOGUS}
 * at once, with a reason that names the cap.
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

  /**
   * KeyTrap (CVE-2023-50387): a zone can publish many DNSKEYs with the same key tag and many
   * RRSIGs, so that trying every key against every signature costs a validator minutes of CPU.
   * Real zones have one key per tag; a collision or two is tolerated, beyond it the rest are not
   * tried (like Unbound 1.19.1 and BIND 9.18.24).
   */
  public static final int MAX_KEYS_PER_TAG = 4;
  /**
   * KeyTrap (CVE-2023-50387): the whole validation of one answer, chain and CNAMEs and proofs
   * included, may verify at most this many signatures. A lab answer needs a dozen; 64 leaves room
   * for algorithm rollovers and long CNAME chains, yet stops an attack in milliseconds.
   */
  public static final int MAX_SIGNATURE_VERIFICATIONS = 64;
  /**
   * NSEC3 closest-encloser proofs (CVE-2023-50868): each name hashed costs iterations + 1 SHA-1
   * runs, and a long qname asks for one hash per label. Hashes are kept per validation, so this
   * caps distinct names hashed.
   */
  public static final int MAX_NSEC3_HASHES = 64;
  /**
   * RFC 9276 3.2: a validator may treat a denial with more NSEC3 iterations as insecure. 150 is
   * Unbound's val-nsec3-keysize-iterations ceiling since 1.16 and BIND's before 9.19; the lab's
   * zones use 0 (RFC 9276 3.1), so only the nsec3-iterations fault (500) crosses it.
   */
  public static final int MAX_NSEC3_ITERATIONS = 150;
  /** Zones from the anchor to the data: the deepest lab name has 4 levels; 16 stops a loop. */
  public static final int MAX_CHAIN_DEPTH = 16;
  /**
   * Key fetches for one validation, like Unbound's MAX_SENT_COUNT for queries: a CNAME chain over
   * a few zones needs a dozen, a hostile one cannot make us fetch more.
   */
  public static final int MAX_KEY_FETCHES = 48;
  /** Longer than the recursor's resolution deadline, so its own SERVFAIL comes first. */
  public static final Duration KEY_FETCH_TIMEOUT = Duration.ofSeconds(5);
  /** Unbound's cache-max-ttl: a day, so a key rollover is noticed by the next day. */
  public static final Duration MAX_KEY_TTL = Duration.ofDays(1);
  /** RFC 9520 3.2: cache a failure at least a second, so a broken zone is not asked in a loop. */
  public static final Duration BOGUS_KEY_TTL = Duration.ofSeconds(1);
  /**
   * RFC 9520 3.2 allows backing off exponentially to 5 minutes; a teaching lab repairs its faults
   * in seconds, so the doubling stops at 30 s.
   */
  public static final Duration MAX_BOGUS_KEY_TTL = Duration.ofSeconds(30);
  /** The lab has a few dozen zones; a public resolver would need far more. */
  public static final int KEY_CACHE_SIZE = 10_000;

  public static final ValidationLimits DEFAULT = new ValidationLimits(MAX_KEYS_PER_TAG, MAX_SIGNATURE_VERIFICATIONS,
      MAX_NSEC3_HASHES, MAX_NSEC3_ITERATIONS, MAX_CHAIN_DEPTH, MAX_KEY_FETCHES, KEY_FETCH_TIMEOUT, MAX_KEY_TTL,
      BOGUS_KEY_TTL, MAX_BOGUS_KEY_TTL, KEY_CACHE_SIZE);

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
