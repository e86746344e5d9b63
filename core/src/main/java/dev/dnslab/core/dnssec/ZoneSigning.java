package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

/** What the policy says about one zone: signed (with which keys and denial) or left unsigned. */
public sealed interface ZoneSigning {
  /**
   * A signed zone.
   *
   * @param algorithm the algorithm of all its keys (one per zone keeps RFC 4035 2.2's "every
   *     algorithm in the DNSKEY RRset signs every RRset" trivially true)
   * @param keys KSK + ZSK or one CSK
   * @param denial NSEC or NSEC3
   */
  record Signed(DnssecAlgorithm algorithm, KeyStyle keys, Denial denial) implements ZoneSigning {
    public Signed {
      requireNonNull(algorithm, "algorithm");
      requireNonNull(keys, "keys");
      requireNonNull(denial, "denial");
    }
  }

  /**
   * Deliberately unsigned: the parent publishes no DS for it and proves so (RFC 4035 5.2: an
   * insecure delegation), as for the many unsigned zones of the real Internet.
   */
  record Unsigned() implements ZoneSigning {}
}
