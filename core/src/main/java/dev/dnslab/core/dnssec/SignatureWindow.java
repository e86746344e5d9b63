package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * When the signatures of a signing run are valid (RFC 4034 3.1.5) and when the zone must be signed
 * again.
 *
 * @param backdate how far before "now" the inception lies, so a validator whose clock is a little
 *     behind does not see a signature from the future (RFC 6781 4.4.2.2)
 * @param validity how long after "now" the signatures expire
 * @param renewBefore how long before expiry the zone is signed again, at least; the signer also
 *     keeps a margin of the zone's largest TTL, since a validator caps a cached RRset's life at its
 *     signature's expiry (RFC 4035 5.3.3) and a fresh signature must be out before that matters
 */
public record SignatureWindow(Duration backdate, Duration validity, Duration renewBefore) {
  /** An hour of skew, two weeks of validity, renewal after one week (BIND's defaults are 30/7.5 days). */
  public static final SignatureWindow DEFAULT =
      new SignatureWindow(Duration.ofHours(1), Duration.ofDays(14), Duration.ofDays(7));

  public SignatureWindow {
    requireNonNull(backdate, "backdate");
    requireNonNull(validity, "validity");
    requireNonNull(renewBefore, "renewBefore");
    if (backdate.isNegative()) {
      throw new IllegalArgumentException("backdate: " + backdate + " (expected: >= 0)");
    }
    if (renewBefore.isNegative() || renewBefore.compareTo(validity) >= 0) {
      throw new IllegalArgumentException("renewBefore: " + renewBefore + " (expected: >= 0 and < validity " + validity + ")");
    }
  }

  public Instant inception(Instant now) {
    return now.minus(backdate);
  }

  public Instant expiration(Instant now) {
    return now.plus(validity);
  }

  /** When a zone signed at {@code now} whose largest TTL is {@code maxTtl} must be signed again. */
  public Instant renewal(Instant now, Duration maxTtl) {
    Duration margin = maxTtl.compareTo(renewBefore) > 0 ? maxTtl : renewBefore;
    Instant renewal = expiration(now).minus(margin);
    return renewal.isBefore(now) ? now : renewal;
  }
}
