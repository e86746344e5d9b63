package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.server.DnsRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRset;

/**
 * Signs every signed RRset of the answer again, with the zone's real keys, but with a validity
 * window that does not contain "now": one that ended a week ago, or one that starts in a week.
 * RFC 4035 5.3.1: a validator must check that the current time lies between inception and
 * expiration; outside it the signature does not authenticate the RRset, and with no other
 * signature the answer is bogus (RFC 4035 5.5: SERVFAIL).
 */
public final class SignatureWindowFault extends DnssecFault {
  /**
   * A week on either side: more than any validator's allowance for clock skew (Unbound allows at
   * most a day, 10% of the lab's 14-day window), so no validator can excuse it.
   */
  public static final Duration OUTSIDE_BY = Duration.ofDays(7);

  /** Which side of "now" the window lies on. */
  public enum Window {
    /** Expired: RFC 4034 3.1.5's expiration field is in the past. */
    EXPIRED("rrsig-expired"),
    /** Not yet valid: the inception field is in the future. */
    NOT_YET_VALID("rrsig-not-yet-valid");

    private final String faultName;

    Window(String faultName) {
      this.faultName = faultName;
    }

    public String faultName() {
      return faultName;
    }
  }

  private final Window window;
  /** As long as the lab's own signatures last (SignatureWindow.DEFAULT). */
  private static final Duration VALIDITY = Duration.ofDays(14);

  public SignatureWindowFault(QueryMatch match, Window window, FaultListener listener, KeyDirectory keys) {
    super(requireNonNull(window, "window").faultName(), match, listener, keys);
    this.window = window;
  }

  @Override
  protected void rewrite(DnsRequest request, Message response) {
    Instant now = Instant.now();
    Instant inception = window == Window.EXPIRED ? now.minus(OUTSIDE_BY).minus(VALIDITY) : now.plus(OUTSIDE_BY);
    Instant expiration = inception.plus(VALIDITY);
    for (int section : RRSET_SECTIONS) {
      List<RRset> sets = rrsets(response, section).stream().map(set -> resign(set, inception, expiration)).toList();
      replace(response, section, sets);
    }
  }
}
