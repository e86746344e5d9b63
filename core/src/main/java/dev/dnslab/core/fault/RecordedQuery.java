package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.Transport;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One query as a lab server received it.
 *
 * @param time when it arrived
 * @param server the role (or name) of the server that received it, e.g. {@code authoritative-ns}
 * @param client the sender's address and port
 * @param qname the QNAME exactly as sent, letter case kept (so 0x20 randomisation is visible)
 * @param qtype the QTYPE, e.g. {@code Type.A}
 * @param transport UDP, TCP, ...
 * @param id the message ID
 * @param recursionDesired the RD flag (a resolver talking to authorities clears it)
 * @param checkingDisabled the CD flag
 * @param edns the EDNS(0) payload size the client offered, or -1 without OPT
 * @param dnssecOk the DO bit of the OPT record
 */
public record RecordedQuery(
    Instant time,
    String server,
    InetSocketAddress client,
    String qname,
    int qtype,
    Transport transport,
    int id,
    boolean recursionDesired,
    boolean checkingDisabled,
    int edns,
    boolean dnssecOk) {

  public RecordedQuery {
    requireNonNull(time, "time");
    requireNonNull(server, "server");
    requireNonNull(client, "client");
    requireNonNull(qname, "qname");
    requireNonNull(transport, "transport");
  }

  static RecordedQuery of(String server, DnsRequest request) {
    Message query = request.query();
    Record question = request.question();
    OPTRecord opt = query.getOPT();
    return new RecordedQuery(
        Instant.now(),
        server,
        request.client(),
        question == null ? "" : question.getName().toString(),
        question == null ? 0 : question.getType(),
        request.transport(),
        request.id(),
        query.getHeader().getFlag(Flags.RD),
        query.getHeader().getFlag(Flags.CD),
        opt == null ? -1 : opt.getPayloadSize(),
        opt != null && (opt.getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0);
  }

  /** Whether the QNAME is {@code name}, ignoring case (RFC 4343). */
  public boolean isFor(String name) {
    String absolute = name.endsWith(".") ? name : name + ".";
    return qname.equalsIgnoreCase(absolute);
  }

  /** A dig-like line: {@code authoritative-ns udp 127.0.0.1#4711 wWw.GooGle.com. A id=1 edns=1232}. */
  @Override
  public String toString() {
    return server + " " + transport.tag() + " " + client.getAddress().getHostAddress() + "#" + client.getPort()
        + " " + qname + " " + Type.string(qtype) + " id=" + id
        + (recursionDesired ? " rd" : "") + (checkingDisabled ? " cd" : "")
        + (edns < 0 ? "" : " edns=" + edns) + (dnssecOk ? " do" : "");
  }
}
