package dev.dnslab.core.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Renders responses to wire format with dnsjava, applying the size rules of the transport.
 *
 * <p>Over UDP a response that does not fit the limit is truncated the way RFC 2181 9 asks: whole
 * RRsets are dropped from the end, TC is set when the answer or authority section lost data, and
 * the OPT record always survives (RFC 6891 7). A referral that lost glue is marked TC as well (RFC
 * 9471 3: glue for in-domain name servers is not optional).
 */
public final class DnsResponseEncoder {
  /** The 16-bit length prefix bounds every message on a stream (RFC 1035 4.2.2). */
  public static final int MAX_STREAM_MESSAGE = 65535;

  /**
   * Uncompressed record bytes per AXFR message before starting the next one: below 64 KiB with room
   * for the header and question, and compression only ever shrinks it (RFC 5936 2.2).
   */
  private static final int STREAM_CHUNK_BUDGET = 60_000;

  private static final int TC_BYTE = 2;
  private static final int TC_BIT = 0x02;
  private static final int ARCOUNT_OFFSET = 10;

  private DnsResponseEncoder() {}

  /** Wire bytes of {@code response}, no longer than {@code limit}. */
  public static byte[] encode(Message response, int limit) {
    if (response instanceof TemplatedResponse templated) {
      byte[] wire = templated.fromTemplate(limit);
      if (wire != null) {
        return wire;
      }
    }
    return render(response, limit);
  }

  /**
   * {@link #encode(Message, int)} into a buffer from {@code alloc}, for a datagram: a templated
   * answer is patched straight into it. A datagram channel sends only direct memory, so an answer
   * handed over as an array would be copied once more into a direct buffer on its way out.
   */
  public static ByteBuf encode(Message response, int limit, ByteBufAllocator alloc) {
    if (response instanceof TemplatedResponse templated) {
      ByteBuf wire = templated.fromTemplate(limit, alloc);
      if (wire != null) {
        return wire;
      }
    }
    byte[] wire = render(response, limit);
    return alloc.ioBuffer(wire.length).writeBytes(wire);
  }

  /** dnsjava's rendering of {@code response}, truncated to {@code limit} (RFC 2181 9). */
  private static byte[] render(Message response, int limit) {
    byte[] wire = response.toWire(limit);
    if (isReferral(response)
        && additionalCount(wire) < response.getHeader().getCount(Section.ADDITIONAL)) {
      wire[TC_BYTE] |= TC_BIT;
    }
    return wire;
  }

  /** Whether the encoded bytes carry the TC flag. */
  public static boolean isTruncated(byte[] wire) {
    return wire.length > TC_BYTE && (wire[TC_BYTE] & TC_BIT) != 0;
  }

  /** Whether the encoded message in {@code wire} (from its reader index) carries the TC flag. */
  public static boolean isTruncated(ByteBuf wire) {
    return wire.readableBytes() > TC_BYTE && (wire.getByte(wire.readerIndex() + TC_BYTE) & TC_BIT) != 0;
  }

  /**
   * Wire messages for a stream transport. Ordinary responses are one message; a zone transfer too
   * large for 64 KiB is split into several, each repeating the ID and question (RFC 5936 2.2).
   */
  public static List<byte[]> encodeForStream(Message response) {
    if (response instanceof TemplatedResponse templated) {
      byte[] wire = templated.fromTemplate(MAX_STREAM_MESSAGE);
      if (wire != null) {
        return List.of(wire);
      }
    }
    byte[] whole = response.toWire(MAX_STREAM_MESSAGE);
    if (!isTruncated(whole)) {
      return List.of(whole);
    }
    List<byte[]> messages = new ArrayList<>();
    Message chunk = emptyCopy(response);
    int budget = 0;
    for (Record record : response.getSection(Section.ANSWER)) {
      int size = record.toWire(Section.ANSWER).length;
      if (budget + size > STREAM_CHUNK_BUDGET && budget > 0) {
        messages.add(chunk.toWire(MAX_STREAM_MESSAGE));
        chunk = emptyCopy(response);
        budget = 0;
      }
      chunk.addRecord(record, Section.ANSWER);
      budget += size;
    }
    messages.add(chunk.toWire(MAX_STREAM_MESSAGE));
    return messages;
  }

  private static Message emptyCopy(Message response) {
    Message copy = new Message(response.getHeader().getID());
    Header header = copy.getHeader();
    Header original = response.getHeader();
    for (int flag = 0; flag < 16; flag++) {
      if (Flags.isFlag(flag) && original.getFlag(flag)) {
        header.setFlag(flag);
      }
    }
    header.setOpcode(original.getOpcode());
    header.setRcode(original.getRcode());
    if (response.getQuestion() != null) {
      copy.addRecord(response.getQuestion(), Section.QUESTION);
    }
    return copy;
  }

  private static boolean isReferral(Message response) {
    if (response.getHeader().getFlag(Flags.AA)
        || response.getHeader().getCount(Section.ANSWER) != 0) {
      return false;
    }
    for (Record record : response.getSection(Section.AUTHORITY)) {
      if (record.getType() == Type.NS) {
        return true;
      }
    }
    return false;
  }

  private static int additionalCount(byte[] wire) {
    return ((wire[ARCOUNT_OFFSET] & 0xFF) << 8) | (wire[ARCOUNT_OFFSET + 1] & 0xFF);
  }
}
