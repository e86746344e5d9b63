package dev.dnslab.core.wire;

import java.util.Locale;

/** Why a packet was rejected or dropped; the {@code reason} tag of {@code dns_malformed_total}. */
public enum MalformedReason {
  /** Fewer than the 12 bytes of a DNS header (RFC 1035 4.1.1): nothing to reply to. */
  SHORT_HEADER,
  /** QR is set: a response arriving at a server. Replying could start a packet loop. */
  NOT_A_QUERY,
  /** The header parsed but the sections did not (bad label, overrun, bad RDATA length, ...). */
  UNPARSEABLE,
  /** An opcode QUERY message without exactly one question (RFC 9619). */
  QUESTION_COUNT,
  /** More than one OPT record (RFC 6891 6.1.1). */
  MULTIPLE_OPT,
  /** An OPT record whose owner is not the root or that is outside the additional section. */
  MISPLACED_OPT,
  /**
   * TCP framing (RFC 1035 4.2.2): the connection closed, by the client or the idle timeout, before
   * all the bytes its length prefix announced had arrived.
   */
  TRUNCATED_FRAME;

  public String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
