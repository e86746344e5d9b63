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
  private final Record[][] sections;
  private final byte[] wire;

  private AnswerTemplate(Record question, int rcode, boolean authoritative, Record[][] sections, byte[] wire) {
    this.question = question;
    this.rcode = rcode;
    this.authoritative = authoritative;
    this.sections = sections;
    this.wire = wire;
  }

  /**
   * A template of {@code response}, a complete answer with one question and no OPT record yet, or
   * null when it cannot be one (no single question, an OPT or extended rcode, too large for one
   * message).
   */
  public static AnswerTemplate of(Message response) {
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
    return new AnswerTemplate(
        questions.get(0), response.getHeader().getRcode(), response.getHeader().getFlag(Flags.AA), sections, wire);
  }

  /** The rcode every response from this template carries. */
  public int rcode() {
    return rcode;
  }

  /** This answer to {@code request}: its ID, flags and question as the client sent them. */
  public TemplatedResponse newResponse(DnsRequest request) {
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
    out.setShort(ARCOUNT_OFFSET, sections[Section.ADDITIONAL].length + (optRecord == null ? 0 : 1));
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
    int length = wire.length + opt.length;
    if (length > limit) {
      return null;
    }
    ByteBuf out = alloc.ioBuffer(length);
    out.writeBytes(wire).writeBytes(opt);
    out.setShort(0, query.id());
    out.setByte(FLAGS_HIGH, wire[FLAGS_HIGH] & ~RD | (query.recursionDesired() ? RD : 0));
    out.setByte(FLAGS_LOW, wire[FLAGS_LOW] & ~CD | (query.checkingDisabled() ? CD : 0));
    out.setShort(ARCOUNT_OFFSET, sections[Section.ADDITIONAL].length + (opt.length == 0 ? 0 : 1));
    out.setBytes(Header.LENGTH, query.name());
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
