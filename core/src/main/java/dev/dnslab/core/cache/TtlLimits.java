package dev.dnslab.core.cache;

/**
 * Bounds on how long anything stays cached, like Unbound's {@code cache-min-ttl}, {@code
 * cache-max-ttl} and {@code cache-max-negative-ttl}.
 *
 * @param minTtl raise shorter positive TTLs to this (0: keep them)
 * @param maxTtl cut longer positive TTLs to this; a zone cannot pin data in the cache for weeks
 * @param maxNegativeTtl cut negative TTLs to this (RFC 2308 5 suggests 1 to 3 hours at most)
 * @param failureTtl how long a failed resolution is answered with SERVFAIL without trying again
 *     (RFC 9520 3.2: at least 1 second, at most 5 minutes)
 */
public record TtlLimits(long minTtl, long maxTtl, long maxNegativeTtl, long failureTtl) {
  /** Unbound's default cache-max-ttl: one day. */
  public static final long DEFAULT_MAX_TTL = 86400;
  /** Unbound's default cache-max-negative-ttl: one hour. */
  public static final long DEFAULT_MAX_NEGATIVE_TTL = 3600;
  /** RFC 9520 3.2 allows 1 s to 5 min; 5 s lets a learner fix a zone and retry quickly. */
  public static final long DEFAULT_FAILURE_TTL = 5;

  public static final TtlLimits DEFAULT = new TtlLimits(0, DEFAULT_MAX_TTL, DEFAULT_MAX_NEGATIVE_TTL, DEFAULT_FAILURE_TTL);

  public TtlLimits {
    if (minTtl < 0) {
      throw new IllegalArgumentException("minTtl: " + minTtl + " (expected: >= 0)");
    }
    if (maxTtl < minTtl) {
      throw new IllegalArgumentException("maxTtl: " + maxTtl + " (expected: >= minTtl " + minTtl + ")");
    }
    if (maxNegativeTtl < 0) {
      throw new IllegalArgumentException("maxNegativeTtl: " + maxNegativeTtl + " (expected: >= 0)");
    }
    if (failureTtl < 1 || failureTtl > 300) {
      throw new IllegalArgumentException("failureTtl: " + failureTtl + " (expected: 1..300, RFC 9520 3.2)");
    }
  }

  public long positive(long ttl) {
    return Math.max(minTtl, Math.min(maxTtl, ttl));
  }

  public long negative(long ttl) {
    return Math.min(maxNegativeTtl, ttl);
  }
}
