package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One decoded query and where it came from.
 *
 * @param query the query as the client sent it (question case preserved)
 * @param transport how it arrived
 * @param client the client's address and port
 * @param server the local address the query arrived on
 * @param responseSizeLimit how many bytes the response may take on this transport: 512 for plain
 *     UDP, the EDNS(0) payload size for UDP with OPT (RFC 6891 6.2.5), 65535 for streams
 * @param receivedNanos {@link System#nanoTime()} when the packet was decoded
 */
public record DnsRequest(
    Message query,
    Transport transport,
    InetSocketAddress client,
    InetSocketAddress server,
    int responseSizeLimit,
    long receivedNanos) {

  public DnsRequest {
    requireNonNull(query, "query");
    requireNonNull(transport, "transport");
    requireNonNull(client, "client");
    requireNonNull(server, "server");
    if (responseSizeLimit < 512) {
      throw new IllegalArgumentException(
          "responseSizeLimit: " + responseSizeLimit + " (expected: >= 512)");
    }
  }

  /** The single question (callers only see queries with exactly one, RFC 9619). */
  public Record question() {
    return query.getQuestion();
  }

  public int id() {
    return query.getHeader().getID();
  }

  /**
   * A response skeleton for this query: same ID, opcode, RD and CD, QR set and the question copied
   * exactly as received, so the client sees its own letter case (RFC 1035 7.3; needed by 0x20).
   */
  public Message newResponse(int rcode) {
    return fillResponse(new Message(query.getHeader().getID()), rcode);
  }

  /** {@link #newResponse} into a fresh message with this query's ID that the caller made, e.g. a subclass. */
  public <M extends Message> M fillResponse(M response, int rcode) {
    var header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    if (query.getHeader().getFlag(Flags.CD)) {
      header.setFlag(Flags.CD);
    }
    header.setRcode(rcode & 0xF);
    Record question = query.getQuestion();
    if (question != null) {
      response.addRecord(question, Section.QUESTION);
    }
    return response;
  }

  @Override
  public String toString() {
    Record q = question();
    String question =
        q == null ? "<no question>" : q.getName() + "/" + org.xbill.DNS.Type.string(q.getType());
    return client + " id=" + id() + " " + question + " " + transport.tag();
  }
}
