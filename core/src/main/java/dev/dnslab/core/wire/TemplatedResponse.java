package dev.dnslab.core.wire;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * A response built from an {@link AnswerTemplate}: an ordinary dnsjava message that every handler
 * may read and change, which {@link DnsResponseEncoder} writes from the template's bytes as long
 * as it still holds the template's records.
 *
 * <p>Once built ({@link #seal}), it notes every change of its records: each mutator of {@link
 * Message} that can reach them is overridden here (a section is only changed through these; the
 * lists {@link #getSection} returns are read-only). The one change a template still covers is the
 * response's own OPT record appended to the additional section (RFC 6891 6.1.1), as the EDNS
 * handler does; after any other, or a second one, dnsjava renders the message instead.
 */
public final class TemplatedResponse extends Message {
  private final AnswerTemplate template;
  private boolean sealed;
  private boolean edited;
  private OPTRecord appendedOpt;

  TemplatedResponse(AnswerTemplate template, int id) {
    super(id);
    this.template = requireNonNull(template, "template");
  }

  /** Ends building: from now on a change of the records is noted. */
  void seal() {
    sealed = true;
  }

  /** Whether the records are still the template's; {@link #appendedOpt} may follow them. */
  boolean unedited() {
    return !edited;
  }

  /** The OPT record appended after the template's records, or null. */
  OPTRecord appendedOpt() {
    return appendedOpt;
  }

  /**
   * The template holds no OPT record, so while the records are still its own the appended OPT is
   * the only one: no walk of the additional section, which {@link #getRcode} would do per query.
   */
  @Override
  public OPTRecord getOPT() {
    return sealed && !edited ? appendedOpt : super.getOPT();
  }

  @Override
  public void addRecord(Record record, int section) {
    if (sealed) {
      if (!edited && appendedOpt == null && section == Section.ADDITIONAL && record instanceof OPTRecord opt) {
        appendedOpt = opt;
      } else {
        edited = true;
      }
    }
    super.addRecord(record, section);
  }

  @Override
  public boolean removeRecord(Record record, int section) {
    boolean removed = super.removeRecord(record, section);
    if (sealed && removed) {
      if (!edited && appendedOpt != null && section == Section.ADDITIONAL && record instanceof OPTRecord) {
        // The template holds no OPT, so this was the appended one: the template's records again,
        // as when the EDNS handler replaces an OPT a later handler (cookies) added.
        appendedOpt = null;
      } else {
        edited = true;
      }
    }
    return removed;
  }

  @Override
  public void removeAllRecords(int section) {
    edited |= sealed;
    super.removeAllRecords(section);
  }

  @Override
  public void setHeader(Header header) {
    edited |= sealed;
    super.setHeader(header);
  }

  /** Also reached by {@code setTSIG(TSIG)}, which calls this one. */
  @Override
  public void setTSIG(TSIG key, int error, TSIGRecord querytsig) {
    edited |= sealed;
    super.setTSIG(key, error, querytsig);
  }

  /** The wire form from the template, or null when it no longer applies (then dnsjava renders). */
  byte[] fromTemplate(int limit) {
    ByteBuf wire = template.render(this, limit, length -> Unpooled.wrappedBuffer(new byte[length]).clear());
    return wire == null ? null : wire.array();
  }

  /** {@link #fromTemplate(int)} written straight into a buffer from {@code alloc}. */
  ByteBuf fromTemplate(int limit, ByteBufAllocator alloc) {
    return template.render(this, limit, alloc::ioBuffer);
  }
}
