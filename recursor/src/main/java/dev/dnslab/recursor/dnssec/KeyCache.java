package dev.dnslab.recursor.dnssec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/**
 * The validator's own key cache: per zone, its validated DNSKEY set or the proof that it is
 * unsigned (RFC 4035 4.3), kept until its TTL (capped by the RRSIG expiry and {@link
 * ValidationLimits#maxKeyTtl()}); failed key verdicts (RFC 9520 3.4) kept for one second,
 * doubling while retries fail again up to {@link ValidationLimits#maxBogusKeyTtl()} (RFC 9520
 * 3.2); and the names proven not to be zone cuts, so a warm validator asks for no DS or DNSKEY at
 * all. Thread-safe: a concurrent map of immutable entries; a race only means the same keys are
 * validated twice.
 */
final class KeyCache {
  private final ValidationLimits limits;
  private final Clock clock;
  private final Map<Name, ZoneTrust> zones = new ConcurrentHashMap<>();
  /** Names inside a zone proven not to be a delegation (NSEC/NSEC3 without NS), until when. */
  private final Map<Name, Instant> nonCuts = new ConcurrentHashMap<>();

  KeyCache(ValidationLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** What is known about the zone at {@code name}, or null when nothing (or nothing current). */
  ZoneTrust get(Name name, Instant now) {
    ZoneTrust trust = zones.get(name);
    return trust != null && now.isBefore(trust.expires()) ? trust : null;
  }

  /** Whether {@code name} is known not to be a zone cut. */
  boolean isNotACut(Name name, Instant now) {
    Instant until = nonCuts.get(name);
    return until != null && now.isBefore(until);
  }

  void notACut(Name name, Instant until) {
    makeRoom();
    nonCuts.put(name, until);
  }

  /** Keeps a secure or insecure verdict; failures go through {@link #failed}. */
  <T extends ZoneTrust> T put(T trust) {
    makeRoom();
    zones.put(trust.zone(), trust);
    return trust;
  }

  /**
   * Keeps a failed key verdict for one second the first time, twice as long each time a retry
   * fails again (RFC 9520 3.2), at most {@link ValidationLimits#maxBogusKeyTtl()}. A retry is a
   * fetch asked once the last failed verdict had run out: the failure of a fetch asked before that
   * is the failure already counted, and neither doubles nor extends the verdict.
   *
   * <p>A current secure or insecure verdict is kept, and returned instead: the failed fetch was
   * asked before the walk could see it (a walk that finds a current verdict asks nothing), and the
   * keys another walk validated meanwhile are no less valid for it. Replaced, the zone went bogus
   * for a second and more although its keys were known (KeyBackOffTest). Not decided by {@code
   * asked}: a DNSKEY fetch is asked after its DS answer came, which can be after the other walk
   * stored the keys, though this walk looked at the cache before. Once the verdict has expired, the
   * failure of its re-fetch is kept as before.
   *
   * @param asked when the walk that failed asked for the DS or DNSKEY (its look at this cache)
   * @return the verdict this cache holds on {@code zone} now
   */
  ZoneTrust failed(Name zone, Verdict verdict, List<ChainLink> path, Instant asked, Instant now) {
    ZoneTrust previous = zones.get(zone);
    if (!(previous instanceof ZoneTrust.Failed) && previous != null && now.isBefore(previous.expires())) {
      return previous;
    }
    if (previous instanceof ZoneTrust.Failed last && asked.isBefore(last.expires())) {
      // Every validation waiting on one DS or DNSKEY question joins one fetch, and each reports
      // its failure when its own fetch timer fires. Counted per waiter, the 5 client retries (dig
      // +time=1) during one 4.5 s fetch made the verdict 16 s, and the zone failed 14 s after its
      // DNSKEY replies came back (RecursorAuthoritiesLateTest). Counted while the verdict was
      // current only, a waiter that joined over a second after the first still doubled it
      // (KeyBackOffTest). RFC 9520 3.2 backs off when a retry fails again, not per waiter.
      return now.isBefore(last.expires()) ? last
          : new ZoneTrust.Failed(zone, verdict, path, last.expires(), last.failures());
    }
    int failures = 1;
    if (previous instanceof ZoneTrust.Failed last && now.isBefore(last.expires().plus(limits.maxBogusKeyTtl()))) {
      failures = last.failures() + 1;
    }
    Duration ttl = limits.bogusKeyTtl().multipliedBy(1L << Math.min(failures - 1, 20));
    if (ttl.compareTo(limits.maxBogusKeyTtl()) > 0) {
      ttl = limits.maxBogusKeyTtl();
    }
    return put(new ZoneTrust.Failed(zone, verdict, path, now.plus(ttl), failures));
  }

  /** Forgets everything (a new trust anchor, or an operator's flush). */
  void clear() {
    zones.clear();
    nonCuts.clear();
  }

  int size() {
    return zones.size() + nonCuts.size();
  }

  /** Beyond the size cap, drops expired entries, then any (the map has no order to keep). */
  private void makeRoom() {
    if (size() < limits.keyCacheSize()) {
      return;
    }
    Instant now = clock.instant();
    zones.values().removeIf(trust -> !now.isBefore(trust.expires()));
    nonCuts.values().removeIf(until -> !now.isBefore(until));
    for (Iterator<Name> names = zones.keySet().iterator(); size() >= limits.keyCacheSize() && names.hasNext(); ) {
      names.next();
      names.remove();
    }
    for (Iterator<Name> names = nonCuts.keySet().iterator(); size() >= limits.keyCacheSize() && names.hasNext(); ) {
      names.next();
      names.remove();
    }
  }
}
