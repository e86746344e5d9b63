package dev.dnslab.core.wire;

import io.netty.buffer.ByteBuf;

/**
 * The common shape of a query read straight from its bytes, without dnsjava: a standard QUERY
 * (opcode 0, QR clear) with exactly one question whose name is written out in full, nothing in the
 * answer and authority sections, and in the additional section at most one OPT record (RFC 6891)
 * of version 0 with no options. That is almost every query a busy authority gets, and everything an
 * answer from a template needs of it. Any other packet, including every malformed one, is "not
 * plain" ({@link #read} gives null) and takes the full decode ({@link DnsQueryDecoder}).
 *
 * <p>The question name keeps the client's spelling: a response must echo it letter for letter (RFC
 * 1035 7.3; DNS 0x20 depends on it). Compressed names are not plain: a query has nothing earlier to
 * point at, so a pointer there is a client's oddity, left to dnsjava.
 */
public final class PlainQuery {
  private static final int HEADER = 12;
  private static final int QR = 0x80;
  private static final int OPCODE = 0x78;
  private static final int RD = 0x01;
  private static final int CD = 0x10;
  private static final int AD = 0x20;
  private static final int MAX_NAME = 255;
  private static final int MAX_LABEL = 63;
  private static final int TYPE_OPT = 41;
  /** Root owner (1), type (2), payload size (2), extended rcode (1), version (1), flags (2), RDLENGTH (2). */
  private static final int OPT_LENGTH = 11;
  private static final int DO = 0x8000;

  /** No OPT record: the query does not speak EDNS. */
  public static final int NO_EDNS = -1;

  private final int id;
  private final boolean recursionDesired;
  private final boolean checkingDisabled;
  private final boolean authenticData;
  private final byte[] name;
  private final int type;
  private final int dclass;
  private final int ednsPayload;
  private final boolean dnssecOk;

  private PlainQuery(int id, int flags, byte[] name, int type, int dclass, int ednsPayload, boolean dnssecOk) {
    this.id = id;
    this.recursionDesired = (flags >>> 8 & RD) != 0;
    this.checkingDisabled = (flags & CD) != 0;
    this.authenticData = (flags & AD) != 0;
    this.name = name;
    this.type = type;
    this.dclass = dclass;
    this.ednsPayload = ednsPayload;
    this.dnssecOk = dnssecOk;
  }

  /**
   * The plain query in {@code packet}'s readable bytes (left unread), or null when they hold anything
   * else. Never throws: hostile bytes are simply not plain.
   */
  public static PlainQuery read(ByteBuf packet) {
    int start = packet.readerIndex();
    int end = packet.writerIndex();
    if (end - start < HEADER + 1 + 4) {
      return null;
    }
    int flags = packet.getUnsignedShort(start + 2);
    if ((flags >>> 8 & (QR | OPCODE)) != 0
        || packet.getUnsignedShort(start + 4) != 1
        || packet.getUnsignedShort(start + 6) != 0
        || packet.getUnsignedShort(start + 8) != 0) {
      return null;
    }
    int additional = packet.getUnsignedShort(start + 10);
    if (additional > 1) {
      return null;
    }
    int nameStart = start + HEADER;
    int at = nameStart;
    while (true) {
      if (at >= end) {
        return null;
      }
      int label = packet.getUnsignedByte(at);
      if (label > MAX_LABEL) {
        return null; // a compression pointer, or a label type RFC 6891 5 retired
      }
      at += 1 + label;
      if (at - nameStart > MAX_NAME) {
        return null;
      }
      if (label == 0) {
        break;
      }
    }
    int questionEnd = at + 4;
    if (questionEnd > end) {
      return null;
    }
    int type = packet.getUnsignedShort(at);
    int dclass = packet.getUnsignedShort(at + 2);
    int ednsPayload = NO_EDNS;
    boolean dnssecOk = false;
    if (additional == 0) {
      if (questionEnd != end) {
        return null;
      }
    } else {
      if (end - questionEnd != OPT_LENGTH
          || packet.getUnsignedByte(questionEnd) != 0
          || packet.getUnsignedShort(questionEnd + 1) != TYPE_OPT
          // extended rcode and version both 0: a later version gets BADVERS on the full path
          || packet.getUnsignedShort(questionEnd + 5) != 0
          || packet.getUnsignedShort(questionEnd + 9) != 0) {
        return null;
      }
      ednsPayload = packet.getUnsignedShort(questionEnd + 3);
      dnssecOk = (packet.getUnsignedShort(questionEnd + 7) & DO) != 0;
    }
    byte[] name = new byte[at - nameStart];
    packet.getBytes(nameStart, name);
    return new PlainQuery(packet.getUnsignedShort(start), flags, name, type, dclass, ednsPayload, dnssecOk);
  }

  public int id() {
    return id;
  }

  /** The RD flag, which a response copies (RFC 1035 4.1.1). */
  public boolean recursionDesired() {
    return recursionDesired;
  }

  /** The CD flag, which a response copies (RFC 4035 3.1.6). */
  public boolean checkingDisabled() {
    return checkingDisabled;
  }

  /**
   * The AD flag of the query: a client that sets it asks to be told whether the data validated,
   * even without DO (RFC 6840 5.7).
   */
  public boolean authenticData() {
    return authenticData;
  }

  /** The question name in uncompressed wire form, spelled as the client sent it. */
  public byte[] name() {
    return name;
  }

  public int type() {
    return type;
  }

  public int dclass() {
    return dclass;
  }

  /** Whether the query carries an OPT record. */
  public boolean hasEdns() {
    return ednsPayload != NO_EDNS;
  }

  /** The UDP payload size the OPT record advertises, or {@link #NO_EDNS}. */
  public int ednsPayload() {
    return ednsPayload;
  }

  /** The DO bit of the OPT record (RFC 3225 3). */
  public boolean dnssecOk() {
    return dnssecOk;
  }
}
