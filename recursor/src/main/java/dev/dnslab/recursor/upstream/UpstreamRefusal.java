package dev.dnslab.recursor.upstream;

/**
 * Why the {@link UpstreamPolicy} refuses to send to an address: one case per rule of the {@link
 * DoNotQueryList}, checked in this order. The JSON of {@code /trace} shows {@link #name()} and
 * {@link #reason()} on the step of a refused send.
 */
public enum UpstreamRefusal {
  /** An unresolved name or port 0: nothing to send to. */
  NOT_AN_ADDRESS("not a usable address"),
  /**
   * The recursor's own listening address and port: a referral that points there would have it
   * ask itself, one walk feeding the next (Unbound never queries its own interfaces either).
   */
  OWN_ADDRESS("the recursor's own listening address: it would be asking itself, and no allow-list entry names"
      + " exactly that address"),
  /** 127.0.0.0/8 or ::1 outside every allow-list entry (Unbound's do-not-query-localhost). */
  LOOPBACK("loopback (127.0.0.0/8, ::1), which the upstream allow-list does not name"),
  /** Anywhere else outside the allow-list: a lab zone must never make the recursor reach the Internet. */
  OUTSIDE_ALLOW_LIST("outside the upstream allow-list");

  private final String reason;

  UpstreamRefusal(String reason) {
    this.reason = reason;
  }

  /** The rule in words, for logs and traces. */
  public String reason() {
    return reason;
  }
}
