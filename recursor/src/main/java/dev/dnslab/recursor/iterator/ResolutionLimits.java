package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The caps that keep one client query from running away, like Unbound's MAX_REFERRAL_COUNT and
 * MAX_RESTART_COUNT. Every limit of the iterator is here: the record's components can be set per
 * recursor, the constants below them are fixed.
 *
 * @param maxReferrals referrals followed per resolution; the deepest lab name has 4 levels
 * @param maxCnameRestarts CNAMEs followed to another name per resolution
 * @param maxUpstreamQueries queries sent for one client query, name server lookups included
 * @param maxDependencyDepth how deep "resolve the name server's name first" may nest
 * @param maxNameServerLookups glueless name servers of one delegation whose addresses are looked up
 * @param upstreamTimeout how long to wait for one upstream reply before trying another server
 * @param resolutionTimeout the whole resolution's deadline; after it the client gets SERVFAIL
 */
public record ResolutionLimits(
    int maxReferrals,
    int maxCnameRestarts,
    int maxUpstreamQueries,
    int maxDependencyDepth,
    int maxNameServerLookups,
    Duration upstreamTimeout,
    Duration resolutionTimeout) {

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

  public static final ResolutionLimits DEFAULT =
      new ResolutionLimits(MAX_REFERRAL_COUNT, MAX_RESTART_COUNT, MAX_SENT_COUNT, MAX_DEPENDENCY_DEPTH,
          MAX_NAME_SERVER_LOOKUPS, DEFAULT_UPSTREAM_TIMEOUT, DEFAULT_RESOLUTION_TIMEOUT);

  public ResolutionLimits {
    positive("maxReferrals", maxReferrals);
    positive("maxCnameRestarts", maxCnameRestarts);
    positive("maxUpstreamQueries", maxUpstreamQueries);
    positive("maxDependencyDepth", maxDependencyDepth);
    positive("maxNameServerLookups", maxNameServerLookups);
    requireNonNull(upstreamTimeout, "upstreamTimeout");
    requireNonNull(resolutionTimeout, "resolutionTimeout");
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
        maxNameServerLookups, timeout, resolutionTimeout.compareTo(timeout) < 0 ? timeout : resolutionTimeout);
  }

  public ResolutionLimits withResolutionTimeout(Duration timeout) {
    return new ResolutionLimits(maxReferrals, maxCnameRestarts, maxUpstreamQueries, maxDependencyDepth,
        maxNameServerLookups, upstreamTimeout, timeout);
  }

  public ResolutionLimits withMaxNameServerLookups(int max) {
    return new ResolutionLimits(maxReferrals, maxCnameRestarts, maxUpstreamQueries, maxDependencyDepth, max,
        upstreamTimeout, resolutionTimeout);
  }
}
