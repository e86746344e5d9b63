package dev.dnslab.recursor.iterator;

import org.xbill.DNS.Name;

/**
 * QNAME minimisation (RFC 9156) for one resolution: which name to ask the servers of a zone. Each
 * server is asked for one label more than its zone until the zone cut above the full name is
 * found, so the root never learns more than the TLD asked about.
 */
final class QnameMinimiser {
  private final boolean enabled;
  private Name knownCut = Name.root;
  private boolean minimising;
  private int steps;

  QnameMinimiser(boolean enabled) {
    this.enabled = enabled;
  }

  /** Starts again below {@code zone}, the delegation the walk starts from (INIT_REQUEST). */
  void startBelow(Name zone) {
    knownCut = zone;
    minimising = enabled;
    steps = 0;
  }

  /** A referral went down to {@code zone}: minimise below it. */
  void descendTo(Name zone) {
    knownCut = zone;
    steps = 0;
  }

  /**
   * The name to ask for {@code target}: one label more than the deepest known cut (RFC 9156 2.3),
   * or {@code target} itself when not minimising or after {@link ResolutionLimits#MAX_MINIMISE_COUNT}
   * extra labels.
   */
  Name nameToAsk(Name target) {
    if (!minimising || steps >= ResolutionLimits.MAX_MINIMISE_COUNT || !target.subdomain(knownCut)) {
      return target;
    }
    int labels = knownCut.labels() + 1;
    if (labels >= target.labels()) {
      return target;
    }
    return new Name(target, target.labels() - labels);
  }

  /** RFC 9156 2.3: ANSWER or NODATA for a shortened name: no zone cut there, add the next label. */
  void noZoneCutAt(Name asked) {
    knownCut = asked;
    steps++;
  }

  /**
   * NXDOMAIN or CNAME for a shortened name: ask the full name instead (RFC 9156 2.3's relaxed mode,
   * as Unbound does), so the answer and its SOA come from the server itself.
   */
  void askFullName() {
    minimising = false;
  }
}
