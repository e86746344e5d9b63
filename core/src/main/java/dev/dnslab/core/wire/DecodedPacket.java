package dev.dnslab.core.wire;

import org.xbill.DNS.Message;

/**
 * What {@link DnsQueryDecoder} made of one packet. Every packet ends in exactly one of these, so the
 * transport never has to guess: answer it, reply FORMERR, or drop it and count why.
 */
public sealed interface DecodedPacket {

  /** A well-formed query with exactly one question (for QUERY) and at most one OPT. */
  record Query(Message message) implements DecodedPacket {}

  /**
   * A packet whose header could be read but whose body is not a valid query: the server answers it
   * with {@code response} (FORMERR, RFC 1035 4.1.1) and counts {@code reason}.
   */
  record Rejected(Message response, MalformedReason reason) implements DecodedPacket {}

  /** A packet not worth a reply (too short for a header, or itself a response): counted, dropped. */
  record Dropped(MalformedReason reason) implements DecodedPacket {}
}
