package dev.dnslab.core.authority;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.ZoneSigner;
import java.time.Clock;
import java.time.Duration;

/**
 * How an authority server signs its zones: the signer (the lab's keys, policy and signature
 * window), the clock signatures are dated by, and how often a background task looks for zones
 * whose signatures are due for renewal.
 *
 * @param signer signs each zone the policy signs, at load, at every reload and before expiry
 * @param clock "now" for inception, expiration and renewal; tests pass a clock they move
 * @param renewalCheck how often the server checks for zones due for renewal
 */
public record DnssecSigning(ZoneSigner signer, Clock clock, Duration renewalCheck) {
  /**
   * A minute: renewal is due days before expiry (SignatureWindow.DEFAULT), so a check a minute is
   * far more than enough, and costs one comparison per zone.
   */
  public static final Duration DEFAULT_RENEWAL_CHECK = Duration.ofMinutes(1);

  public DnssecSigning {
    requireNonNull(signer, "signer");
    requireNonNull(clock, "clock");
    requireNonNull(renewalCheck, "renewalCheck");
    if (renewalCheck.isNegative() || renewalCheck.isZero()) {
      throw new IllegalArgumentException("renewalCheck: " + renewalCheck + " (expected: > 0)");
    }
  }

  /** The system clock, checked every minute. */
  public static DnssecSigning of(ZoneSigner signer) {
    return new DnssecSigning(signer, Clock.systemUTC(), DEFAULT_RENEWAL_CHECK);
  }
}
