package dev.dnslab.core.wire;

import java.io.IOException;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns the bytes of one packet (a UDP datagram or one TCP frame) into a {@link DecodedPacket}.
 * dnsjava does the parsing; this class only decides what a broken packet deserves. It never throws:
 * hostile input must not reach a handler, let alone kill a server.
 */
public final class DnsQueryDecoder {
  private DnsQueryDecoder() {}

  public static DecodedPacket decode(byte[] packet) {
    if (packet.length < Header.LENGTH) {
      return new DecodedPacket.Dropped(MalformedReason.SHORT_HEADER);
    }
    Message message;
    try {
      message = new Message(packet);
    } catch (IOException | RuntimeException e) {
      // dnsjava throws WireParseException for most damage, but hostile RDATA can surface as
      // IllegalArgumentException from a record constructor; either way the header is ours to echo.
      // Only now is the header read on its own: a well-formed query has it parsed once, above.
      return unparseable(packet);
    }
    Header header = message.getHeader();
    if (header.getFlag(Flags.QR)) {
      return new DecodedPacket.Dropped(MalformedReason.NOT_A_QUERY);
    }
    if (!allSectionsParsed(message, header)) {
      // dnsjava forgives a short message whose TC bit is set and keeps what it could read; a
      // query has no business being truncated, so a missing record is a malformed packet.
      return rejected(header, MalformedReason.UNPARSEABLE);
    }
    if (header.getOpcode() == Opcode.QUERY && header.getCount(Section.QUESTION) != 1) {
      return rejected(header, MalformedReason.QUESTION_COUNT);
    }
    MalformedReason optProblem = checkOpt(message);
    if (optProblem != null) {
      return new DecodedPacket.Rejected(formerr(header, message.getQuestion()), optProblem);
    }
    return new DecodedPacket.Query(message);
  }

  /** A packet dnsjava could not parse: dropped when it is a response, else FORMERR. */
  private static DecodedPacket unparseable(byte[] packet) {
    Header header;
    try {
      header = new Header(packet);
    } catch (IOException e) {
      return new DecodedPacket.Dropped(MalformedReason.SHORT_HEADER);
    }
    if (header.getFlag(Flags.QR)) {
      return new DecodedPacket.Dropped(MalformedReason.NOT_A_QUERY);
    }
    return rejected(header, MalformedReason.UNPARSEABLE);
  }

  private static boolean allSectionsParsed(Message message, Header header) {
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      // An empty count needs no look: parsing adds records only as the count says, and
      // getSection wraps a list per call (most queries leave three of four sections empty).
      int count = header.getCount(section);
      if (count != 0 && message.getSection(section).size() != count) {
        return false;
      }
    }
    return true;
  }

  /** RFC 6891 6.1.1: at most one OPT, owned by the root, in the additional section only. */
  private static MalformedReason checkOpt(Message message) {
    int opts = 0;
    Header header = message.getHeader();
    for (int section = Section.ANSWER; section <= Section.ADDITIONAL; section++) {
      if (header.getCount(section) == 0) {
        continue; // every section holds its count by now (allSectionsParsed)
      }
      // By index: the section's iterator was not optimised away (async-profiler, event=alloc).
      List<Record> records = message.getSection(section);
      for (int i = 0, n = records.size(); i < n; i++) {
        Record record = records.get(i);
        if (record.getType() != Type.OPT) {
          continue;
        }
        if (section != Section.ADDITIONAL || !Name.root.equals(record.getName())) {
          return MalformedReason.MISPLACED_OPT;
        }
        opts++;
      }
    }
    return opts > 1 ? MalformedReason.MULTIPLE_OPT : null;
  }

  private static DecodedPacket rejected(Header query, MalformedReason reason) {
    return new DecodedPacket.Rejected(formerr(query, null), reason);
  }

  /** A FORMERR echoing the query's ID, opcode and RD, and its question when one was parsed. */
  private static Message formerr(Header query, Record question) {
    Message response = new Message(query.getID());
    Header header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode(query.getOpcode());
    if (query.getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    header.setRcode(Rcode.FORMERR);
    if (question != null) {
      response.addRecord(question, Section.QUESTION);
    }
    return response;
  }
}
