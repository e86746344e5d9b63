package dev.dnslab.core.wire;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The common shape of a query read straight from its bytes, without dnsjava: a standard QUERY
 * (opcode 0, QR clear) with exactly one question whose name is written out in full, nothing in the
 * answer and authority sections, and in the additional section at most one OPT record (RFC 6891)
 * of version 0 with no options, or with one COOKIE option alone (RFC 7873 4) holding a client cookie
 * alone or with a server cookie of the one length version 1 gives it (RFC 9018 4). That is almost
 * every query a busy authority gets (BIND, Unbound and dig send cookies), and everything an answer
 * from a template needs of it. Any other packet, including every malformed one, is "not plain"
 * ({@link #read} gives null) and takes the full decode ({@link DnsQueryDecoder}). A user that does
 * not answer cookies as the full chain would leaves a query that has one ({@link #hasCookie}) to it.
 *
 * <p>The question name keeps the client's spelling: a response must echo it letter for letter (RFC
 * 1035 7.3; DNS 0x20 depends on it). Compressed names are not plain: a query has nothing earlier to
 * point at, so a pointer there is a client's oddity, left to dnsjava.
 *
 * <p>A server reads every datagram of a socket into one instance ({@link #readFrom}), which then
 * holds that query until the next read: a query object and a copy of its name per datagram were a
 * third of the garbage an authority's answer left behind (80 of 220 bytes; the rest is Netty's: the
 * datagram read, its sender's address and the datagram written). {@link #read} gives a new one, for
 * callers that keep it.
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
  /** RFC 7873 4: the COOKIE option's code. */
  private static final int OPTION_COOKIE = 10;
  /** Option code (2) and length (2). */
  private static final int OPTION_HEADER = 4;
  private static final int CLIENT_AND_SERVER_COOKIE = CookieLengths.CLIENT + CookieLengths.SERVER;

  /** No OPT record: the query does not speak EDNS. */
  public static final int NO_EDNS = -1;
  /** What {@link #readAdditional} gives for an additional section that is not plain. */
  private static final int NOT_PLAIN = -2;

  private int id;
  private boolean recursionDesired;
  private boolean checkingDisabled;
  private boolean authenticData;
  /** The question name in wire form in its first {@link #nameLength} bytes; the longest fits. */
  private final byte[] name = new byte[MAX_NAME];
  private int nameLength;
  private int type;
  private int dclass;
  private int ednsPayload;
  private boolean dnssecOk;
  /** The COOKIE option's data in its first {@link #cookieLength} bytes: none, a client cookie, or both cookies. */
  private final byte[] cookie = new byte[CLIENT_AND_SERVER_COOKIE];
  private int cookieLength;

  /** An instance that holds no query yet, for {@link #readFrom}. */
  public PlainQuery() {}

  /**
   * A new query holding the plain query in {@code packet}'s readable bytes (left unread), or null
   * when they hold anything else. Never throws: hostile bytes are simply not plain.
   */
  public static PlainQuery read(ByteBuf packet) {
    PlainQuery query = new PlainQuery();
    return query.readFrom(packet) ? query : null;
  }

  /**
   * Whether {@code packet}'s readable bytes (left unread) hold a plain query; when they do, this
   * instance holds it from now on, in place of the query it held before. When they do not, it holds
   * nothing usable. Never throws: hostile bytes are simply not plain.
   *
   * <p>Kept below the JIT's limit for inlining a hot method (FreqInlineSize, 325 bytes of bytecode),
   * with the name and the OPT record read by methods of their own.
   */
  public boolean readFrom(ByteBuf packet) {
    int start = packet.readerIndex();
    int end = packet.writerIndex();
    if (end - start < HEADER + 1 + 4) {
      return false;
    }
    int flags = packet.getUnsignedShort(start + 2);
    if ((flags >>> 8 & (QR | OPCODE)) != 0
        || packet.getUnsignedShort(start + 4) != 1
        || packet.getUnsignedShort(start + 6) != 0
        || packet.getUnsignedShort(start + 8) != 0) {
      return false;
    }
    int additional = packet.getUnsignedShort(start + 10);
    if (additional > 1) {
      return false;
    }
    int nameStart = start + HEADER;
    int nameEnd = nameEnd(packet, nameStart, end);
    int questionEnd = nameEnd + 4;
    if (nameEnd < 0 || questionEnd > end) {
      return false;
    }
    int payload = readAdditional(packet, additional, questionEnd, end);
    if (payload == NOT_PLAIN) {
      return false;
    }
    this.id = packet.getUnsignedShort(start);
    this.recursionDesired = (flags >>> 8 & RD) != 0;
    this.checkingDisabled = (flags & CD) != 0;
    this.authenticData = (flags & AD) != 0;
    this.nameLength = nameEnd - nameStart;
    packet.getBytes(nameStart, name, 0, nameLength);
    this.type = packet.getUnsignedShort(nameEnd);
    this.dclass = packet.getUnsignedShort(nameEnd + 2);
    this.ednsPayload = payload;
    this.dnssecOk = payload != NO_EDNS && (packet.getUnsignedShort(questionEnd + 7) & DO) != 0;
    return true;
  }

  /**
   * Where the uncompressed name starting at {@code nameStart} ends (just past its root label), or -1
   * when it runs past {@code end}, is longer than a name may be, or holds a compression pointer.
   */
  private static int nameEnd(ByteBuf packet, int nameStart, int end) {
    int at = nameStart;
    while (true) {
      if (at >= end) {
        return -1;
      }
      int label = packet.getUnsignedByte(at);
      if (label > MAX_LABEL) {
        return -1; // a compression pointer, or a label type RFC 6891 5 retired
      }
      at += 1 + label;
      if (at - nameStart > MAX_NAME) {
        return -1;
      }
      if (label == 0) {
        return at;
      }
    }
  }

  /**
   * The payload size of the OPT record from {@code at} to {@code end} ({@code additional} records:
   * none or one), {@link #NO_EDNS} when there is none, or {@link #NOT_PLAIN} unless it is an OPT
   * record of version 0 with no options or one COOKIE option alone, whose data it keeps.
   */
  private int readAdditional(ByteBuf packet, int additional, int at, int end) {
    cookieLength = 0;
    if (additional == 0) {
      return at == end ? NO_EDNS : NOT_PLAIN;
    }
    int options = end - at - OPT_LENGTH;
    if (options < 0
        || packet.getUnsignedByte(at) != 0
        || packet.getUnsignedShort(at + 1) != TYPE_OPT
        // extended rcode and version both 0: a later version gets BADVERS on the full path
        || packet.getUnsignedShort(at + 5) != 0
        || packet.getUnsignedShort(at + 9) != options) {
      return NOT_PLAIN;
    }
    if (options != 0 && !readCookie(packet, at + OPT_LENGTH, options)) {
      return NOT_PLAIN;
    }
    return packet.getUnsignedShort(at + 3);
  }

  /**
   * Whether the {@code length} bytes of options at {@code at} are one COOKIE option of a client
   * cookie alone or with a 16-byte server cookie, which it then keeps. Every other length (RFC 7873
   * 5.2.2 calls them malformed, or a server cookie of another method) goes to the full decode.
   */
  private boolean readCookie(ByteBuf packet, int at, int length) {
    int data = length - OPTION_HEADER;
    if ((data != CookieLengths.CLIENT && data != CLIENT_AND_SERVER_COOKIE)
        || packet.getUnsignedShort(at) != OPTION_COOKIE
        || packet.getUnsignedShort(at + 2) != data) {
      return false;
    }
    packet.getBytes(at + OPTION_HEADER, cookie, 0, data);
    cookieLength = data;
    return true;
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

  /**
   * The question name in uncompressed wire form, spelled as the client sent it: a new array, which
   * the caller may keep after the next {@link #readFrom}.
   */
  public byte[] name() {
    return Arrays.copyOf(name, nameLength);
  }

  /** How many bytes the question name takes in wire form. */
  public int nameLength() {
    return nameLength;
  }

  /** Byte {@code index} (below {@link #nameLength}) of the question name in wire form, as {@link #name} holds it. */
  public byte nameByte(int index) {
    return name[index];
  }

  /** Writes the question name in wire form into {@code out} at {@code index}, spelled as the client sent it. */
  public void writeName(ByteBuf out, int index) {
    out.setBytes(index, name, 0, nameLength);
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

  /** Whether the OPT record holds a COOKIE option (RFC 7873 4), with a server cookie or without. */
  public boolean hasCookie() {
    return cookieLength != 0;
  }

  /** Whether the COOKIE option holds a server cookie after the client's (RFC 7873 4.2). */
  public boolean hasServerCookie() {
    return cookieLength == CLIENT_AND_SERVER_COOKIE;
  }

  /** The 8-byte client cookie of the COOKIE option copied into {@code to} at {@code at}; only when {@link #hasCookie}. */
  public void copyClientCookie(byte[] to, int at) {
    System.arraycopy(cookie, 0, to, at, CookieLengths.CLIENT);
  }

  /**
   * What {@code check} finds for the COOKIE option's client and server cookies from {@code client},
   * read in place from this instance's own array (client cookie at 0, server cookie after it); only
   * when {@link #hasServerCookie}. The check on a server's fast path, where two copies per query
   * were its only garbage besides the address's bytes.
   */
  public boolean serverCookiePasses(ServerCookieCheck check, InetAddress client) {
    return check.isValid(cookie, 0, cookie, CookieLengths.CLIENT, client);
  }

  /** A check of a client cookie and a server cookie (RFC 7873 4) read from arrays at offsets, never kept. */
  @FunctionalInterface
  public interface ServerCookieCheck {
    /**
     * Whether the server cookie at {@code serverAt} in {@code serverCookie} is valid for the client
     * cookie at {@code clientAt} in {@code clientCookie} and {@code client}.
     */
    boolean isValid(byte[] clientCookie, int clientAt, byte[] serverCookie, int serverAt, InetAddress client);
  }
}
