package dev.dnslab.core.wire;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.function.IntFunction;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One answer rendered to wire format once and reused for every query that gets it, the way fast
 * authorities answer: the header, question, answer, authority and additional records without the
 * OPT record, compressed by dnsjava. A response built from it ({@link #newResponse}) runs through
 * the whole handler chain like any other; the encoder reuses these bytes only when that response
 * still holds exactly these records, and then patches in the ID, the flags, the client's spelling
 * of the question and the response's own OPT record.
 *
 * <p>The client's spelling may differ from the one rendered here only in letter case, so it has
 * the same length; every later occurrence of the query name is a compression pointer to the
 * question (dnsjava compresses case-insensitively, RFC 1035 4.1.4), so patching the question
 * respells them all, exactly as rendering again would. A caller must not template answers that
 * carry the client's spelling anywhere else, such as a CNAME synthesised from a DNAME.
 */
public final class AnswerTemplate {
  private static final int ID_AND_FLAGS = 4;
  private static final int FLAGS_HIGH = 2;
  private static final int FLAGS_LOW = 3;
  private static final int RD = 0x01;
  private static final int CD = 0x10;
  private static final int ARCOUNT_OFFSET = 10;
  private static final byte[] NO_BYTES = new byte[0];

  private final Record question;
  private final int rcode;
  private final boolean authoritative;
  /** The records per section, for {@link #newResponse}; null in a template kept for its bytes only. */
  private final Record[][] sections;
  private final int additionalCount;
  private final byte[] wire;
  /**
   * Where each record's TTL field starts in {@link #wire}, in order; found up front only for a
   * template of bytes only, the kind a cache ages ({@link #render(PlainQuery, byte[], int,
   * ByteBufAllocator, long)}). An authority's templates, which never age, find them when asked.
   */
  private final int[] ttlOffsets;

  private AnswerTemplate(
      Record question, int rcode, boolean authoritative, Record[][] sections, int additionalCount, byte[] wire) {
    this.question = question;
    this.rcode = rcode;
    this.authoritative = authoritative;
    this.sections = sections;
    this.additionalCount = additionalCount;
    this.wire = wire;
    this.ttlOffsets = sections == null ? ttlOffsets(wire) : null;
  }

  private int[] ttlOffsets() {
    return ttlOffsets != null ? ttlOffsets : ttlOffsets(wire);
  }

  /**
   * The offsets of the TTL fields of every record in {@code wire}, a message dnsjava wrote (so
   * well formed): after each owner name (labels ending in the root or a compression pointer), type
   * and class (RFC 1035 4.1.3).
   */
  private static int[] ttlOffsets(byte[] wire) {
    int questions = (wire[4] & 0xFF) << 8 | wire[5] & 0xFF;
    int records = 0;
    for (int count = 6; count < Header.LENGTH; count += 2) {
      records += (wire[count] & 0xFF) << 8 | wire[count + 1] & 0xFF;
    }
    int at = Header.LENGTH;
    for (int i = 0; i < questions; i++) {
      at = pastName(wire, at) + 4;
    }
    int[] offsets = new int[records];
    for (int i = 0; i < records; i++) {
      int ttl = pastName(wire, at) + 4;
      offsets[i] = ttl;
      int rdlength = (wire[ttl + 4] & 0xFF) << 8 | wire[ttl + 5] & 0xFF;
      at = ttl + 6 + rdlength;
    }
    return offsets;
  }

  private static int pastName(byte[] wire, int at) {
    while (true) {
      int label = wire[at] & 0xFF;
      if (label == 0) {
        return at + 1;
      }
      if ((label & 0xC0) == 0xC0) {
        return at + 2;
      }
      at += 1 + label;
    }
  }

  /**
   * A template of {@code response}, a complete answer with one question and no OPT record yet, or
   * null when it cannot be one (no single question, an OPT or extended rcode, too large for one
   * message).
   */
  public static AnswerTemplate of(Message response) {
    return of(response, true);
  }

  /**
   * Like {@link #of}, a template that only renders answers to a {@link PlainQuery} ({@link
   * #render(PlainQuery, byte[], int, ByteBufAllocator, long)}): it keeps the bytes and not the
   * records, whose heap is several times theirs, so it cannot make a {@link #newResponse}.
   */
  public static AnswerTemplate bytesOnly(Message response) {
    return of(response, false);
  }

  private static AnswerTemplate of(Message response, boolean keepRecords) {
    requireNonNull(response, "response");
    List<Record> questions = response.getSection(Section.QUESTION);
    if (questions.size() != 1 || response.getOPT() != null || response.getHeader().getFlag(Flags.TC)) {
      return null;
    }
    Record[][] sections = new Record[Section.ADDITIONAL + 1][];
    for (int section = Section.ANSWER; section <= Section.ADDITIONAL; section++) {
      sections[section] = response.getSection(section).toArray(new Record[0]);
    }
    byte[] wire = response.toWire(DnsResponseEncoder.MAX_STREAM_MESSAGE);
    if (DnsResponseEncoder.isTruncated(wire)) {
      return null;
    }
    return new AnswerTemplate(keepRecords ? questions.get(0) : null, response.getHeader().getRcode(),
        response.getHeader().getFlag(Flags.AA), keepRecords ? sections : null, sections[Section.ADDITIONAL].length,
        wire);
  }

  /**
   * The smallest TTL of the records, in seconds, or -1 when there are none: an answer whose TTLs
   * count down together ({@link #render(PlainQuery, byte[], int, ByteBufAllocator, long)}) is good
   * for that long.
   */
  public long minTtl() {
    long min = -1;
    for (int offset : ttlOffsets()) {
      long ttl = ((long) (wire[offset] & 0xFF) << 24) | (wire[offset + 1] & 0xFF) << 16
          | (wire[offset + 2] & 0xFF) << 8 | wire[offset + 3] & 0xFF;
      min = min < 0 ? ttl : Math.min(min, ttl);
    }
    return min;
  }

  /** How many bytes the rendered answer holds (without an OPT record). */
  public int length() {
    return wire.length;
  }

  /** The rcode every response from this template carries. */
  public int rcode() {
    return rcode;
  }

  /** This answer to {@code request}: its ID, flags and question as the client sent them. */
  public TemplatedResponse newResponse(DnsRequest request) {
    if (sections == null) {
      throw new IllegalStateException("a template of bytes only makes no response");
    }
    TemplatedResponse response = request.fillResponse(new TemplatedResponse(this, request.id()), rcode);
    if (authoritative) {
      response.getHeader().setFlag(Flags.AA);
    }
    for (int section = Section.ANSWER; section <= Section.ADDITIONAL; section++) {
      for (Record record : sections[section]) {
        response.addRecord(record, section);
      }
    }
    response.seal();
    return response;
  }

  /**
   * The wire form of {@code response} in a buffer from {@code allocate} (called with the exact
   * length), or null when it is not this answer any more (a later handler changed its records other
   * than by appending an OPT) or does not fit {@code limit} whole (dnsjava then truncates).
   */
  ByteBuf render(TemplatedResponse response, int limit, IntFunction<ByteBuf> allocate) {
    Record spelledQuestion = response.getQuestion();
    if (!response.unedited() || spelledQuestion == null || !sameQuestion(spelledQuestion)) {
      return null;
    }
    OPTRecord optRecord = response.appendedOpt();
    // Where dnsjava puts it too: after every other record (Message.toWire).
    byte[] opt = optRecord == null ? NO_BYTES : optRecord.toWire(Section.ADDITIONAL);
    int length = wire.length + opt.length;
    if (length > limit) {
      return null;
    }
    ByteBuf out = allocate.apply(length);
    out.writeBytes(wire).writeBytes(opt);
    out.setBytes(0, response.getHeader().toWire(), 0, ID_AND_FLAGS);
    out.setShort(ARCOUNT_OFFSET, additionalCount + (optRecord == null ? 0 : 1));
    out.setBytes(Header.LENGTH, spelledQuestion.getName().toWire());
    return out;
  }

  /**
   * This answer to {@code query}, whose question must be this template's spelled in any case, with
   * {@code opt} (the response's OPT record in wire form, or no bytes) after its records, in a buffer
   * from {@code alloc}; null when it does not fit {@code limit} whole. Byte for byte what {@link
   * #newResponse} and {@link #render(TemplatedResponse, int, IntFunction)} give when no handler
   * changes the response but to append that OPT: the ID, RD and CD come from the query (the
   * template's other flags and rcode are every such response's), and so does the question's
   * spelling (see the class comment).
   */
  public ByteBuf render(PlainQuery query, byte[] opt, int limit, ByteBufAllocator alloc) {
    return render(query, opt, limit, alloc, 0);
  }

  /**
   * {@link #render(PlainQuery, byte[], int, ByteBufAllocator)} with every record's TTL {@code age}
   * seconds lower, as a cache that counts all its TTLs down on one clock serves the same records
   * {@code age} seconds later (RFC 1035 3.2.1); the caller keeps {@code age} below {@link #minTtl}.
   * The OPT record's TTL field (its extended rcode and flags) is not one of them.
   */
  public ByteBuf render(PlainQuery query, byte[] opt, int limit, ByteBufAllocator alloc, long age) {
    int length = wire.length + opt.length;
    if (length > limit) {
      return null;
    }
    ByteBuf out = alloc.ioBuffer(length);
    out.writeBytes(wire).writeBytes(opt);
    out.setShort(0, query.id());
    out.setByte(FLAGS_HIGH, wire[FLAGS_HIGH] & ~RD | (query.recursionDesired() ? RD : 0));
    out.setByte(FLAGS_LOW, wire[FLAGS_LOW] & ~CD | (query.checkingDisabled() ? CD : 0));
    out.setShort(ARCOUNT_OFFSET, additionalCount + (opt.length == 0 ? 0 : 1));
    query.writeName(out, Header.LENGTH);
    if (age != 0) {
      for (int offset : ttlOffsets()) {
        out.setInt(offset, (int) (out.getUnsignedInt(offset) - age));
      }
    }
    return out;
  }

  /**
   * Whether {@code asked} is this template's question, its name spelled in any case. Compared field
   * by field: {@link Record#equals} would render both records' data to compare it.
   */
  private boolean sameQuestion(Record asked) {
    return asked.getType() == question.getType()
        && asked.getDClass() == question.getDClass()
        && asked.getName().equals(question.getName());
  }
}
