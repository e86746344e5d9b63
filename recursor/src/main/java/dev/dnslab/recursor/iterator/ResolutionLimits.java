package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.recursor.dnssec.ValidationLimits;
import java.time.Duration;

/**
 * The caps that keep one client query from running away, like Unbound's MAX_REFERRAL_COUNT and
 * MAX_RESTART_COUNT. Every budget of one resolution is here, the iterator's and the validator's
 * (KeyTrap, NSEC3 hashing): the record's components can be set per recursor, the constants name
 * the defaults and the fixed caps, each with its reason. The validator's caps travel as a {@link
 * ValidationLimits}, so the {@code dnssec} package keeps depending on nothing of the iterator.
 *
 * @param maxReferrals referrals followed per resolution; the deepest lab name has 4 levels
 * @param maxCnameRestarts CNAMEs followed to another name per resolution
 * @param maxUpstreamQueries queries sent for one client query, name server lookups included
 * @param maxDependencyDepth how deep "resolve the name server's name first" may nest
 * @param maxNameServerLookups glueless name servers of one delegation whose addresses are looked up
 * @param upstreamTimeout how long to wait for one upstream reply before trying another server
 * @param resolutionTimeout the whole resolution's deadline; after it the client gets SERVFAIL
 * @param validation the validator's caps for one answer (signatures, NSEC3 hashes, key fetches)
 *     and its key cache; exceeding a work cap makes the answer bogus (EDE 6) at once
 */
public record ResolutionLimits(
    int maxReferrals,
    int maxCnameRestarts,
    int maxUpstreamQueries,
    int maxDependencyDepth,
    int maxNameServerLookups,
    Duration upstreamTimeout,
    Duration resolutionTimeout,
    ValidationLimits validation) {

  /** Generous for any real delegation chain, small enough to stop a referral loop quickly. */
  public static final int MAX_REFERRAL_COUNT = 30;
  /** Unbound's MAX_RESTART_COUNT: longer CNAME chains are broken or hostile. */
  public static final int MAX_RESTART_COUNT = 11;
  /** Unbound's MAX_SENT_COUNT: the most work one query may cause upstream. */
  public static final int MAX_SENT_COUNT = 32;
  /** Name servers whose names need name servers whose names need...: 4 levels, then give up. */
  public static final int MAX_DEPENDENCY_DEPTH = 4;
  /**
   * The NXNSAttack cap (CVE-2020-8616): a referral to 100 glueless name servers that do not exist
   * would otherwise cost 100 lookups, all sent by us at the victim's zone. Five, as BIND's fix and
   * Unbound's target-fetch-policy ask at most a handful; a real zone's first reachable server is
   * among them.
   */
  public static final int MAX_NAME_SERVER_LOOKUPS = 5;
  /** Loopback replies take well under a millisecond; a second means the server is not there. */
  public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofMillis(1000);
  /** Below the 5 s a stub like dig waits, so the client sees our SERVFAIL, not its own timeout. */
  public static final Duration DEFAULT_RESOLUTION_TIMEOUT = Duration.ofMillis(4500);

  /**
   * Times one server may be asked again after timing out, per delegation point: three, so one or
   * two lost datagrams never fail a lookup; the upstream-query budget and the resolution deadline
   * still bound the total.
   */
  public static final int MAX_RETRANSMISSIONS = 3;
  /**
   * RFC 9156 2.3's MAX_MINIMISE_COUNT: after this many extra labels, ask the full name, so a name
   * with very many labels cannot make us send one query per label.
   */
  public static final int MAX_MINIMISE_COUNT = 10;
  /**
   * CNAMEs followed inside one reply: a server's own chain longer than this is broken or hostile,
   * and what is left of it is asked for by a CNAME restart (capped by maxCnameRestarts).
   */
  public static final int MAX_CHAIN_IN_REPLY = 16;
  /**
   * Hinted root servers asked for {@code . NS} in one priming round (RFC 9609 3) before falling back
   * to the hints: three, so one or two dead hints never leave the recursor on stale hints.
   */
  public static final int MAX_PRIMING_ATTEMPTS = 3;
  /**
   * How long after a failed priming round the next one may start: RFC 9520 3.2's five seconds for
   * remembering a failure, so a root that is down is not asked on every client query.
   */
  public static final Duration PRIMING_RETRY_INTERVAL = Duration.ofSeconds(5);

  // The validator's work caps (RFC 4035 5.3.3 lets a validator give up; the answer is then bogus).

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
  /** Longer than the resolution deadline, so the recursor's own SERVFAIL comes first. */
  public static final Duration KEY_FETCH_TIMEOUT = Duration.ofSeconds(5);

  // The validator's key cache, shared by all resolutions.

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

  public static final ResolutionLimits DEFAULT =
      new ResolutionLimits(MAX_REFERRAL_COUNT, MAX_RESTART_COUNT, MAX_SENT_COUNT, MAX_DEPENDENCY_DEPTH,
          MAX_NAME_SERVER_LOOKUPS, DEFAULT_UPSTREAM_TIMEOUT, DEFAULT_RESOLUTION_TIMEOUT,
          new ValidationLimits(MAX_KEYS_PER_TAG, MAX_SIGNATURE_VERIFICATIONS, MAX_NSEC3_HASHES, MAX_NSEC3_ITERATIONS,
              MAX_CHAIN_DEPTH, MAX_KEY_FETCHES, KEY_FETCH_TIMEOUT, MAX_KEY_TTL, BOGUS_KEY_TTL, MAX_BOGUS_KEY_TTL,
              KEY_CACHE_SIZE));

  public ResolutionLimits {
    positive("maxReferrals", maxReferrals);
    positive("maxCnameRestarts", maxCnameRestarts);
    positive("maxUpstreamQueries", maxUpstreamQueries);
    positive("maxDependencyDepth", maxDependencyDepth);
    positive("maxNameServerLookups", maxNameServerLookups);
    requireNonNull(upstreamTimeout, "upstreamTimeout");
    requireNonNull(resolutionTimeout, "resolutionTimeout");
    requireNonNull(validation, "validation");
    if (upstreamTimeout.isNegative() || upstreamTimeout.isZero()) {
      throw new IllegalArgumentException("upstreamTimeout: " + upstreamTimeout + " (expected: > 0)");
    }
    if (resolutionTimeout.compareTo(upstreamTimeout) < 0) {
      throw new IllegalArgumentException(
          "resolutionTimeout: " + resolutionTimeout + " (expected: >= upstreamTimeout " + upstreamTimeout + ")");
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
    }
  }

  public ResolutionLimits withUpstreamTimeout(Duration timeout) {
    return new ResolutionLimits(maxReferrals, maxCnameRestarts, maxUpstreamQueries, maxDependencyDepth,
        maxNameServerLookups, timeout, resolutionTimeout.compareTo(timeout) < 0 ? timeout : resolutionTimeout,
        validation);
  }

  public ResolutionLimits withResolutionTimeout(Duration timeout) {
    return new ResolutionLimits(maxReferrals, maxCnameRestarts, maxUpstreamQueries, maxDependencyDepth,
        maxNameServerLookups, upstreamTimeout, timeout, validation);
  }

  public ResolutionLimits withMaxNameServerLookups(int max) {
    return new ResolutionLimits(maxReferrals, maxCnameRestarts, maxUpstreamQueries, maxDependencyDepth, max,
        upstreamTimeout, resolutionTimeout, validation);
  }

  public ResolutionLimits withValidation(ValidationLimits limits) {
    return new ResolutionLimits(maxReferrals, maxCnameRestarts, maxUpstreamQueries, maxDependencyDepth,
        maxNameServerLookups, upstreamTimeout, resolutionTimeout, limits);
  }
}
