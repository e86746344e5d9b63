package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.recursor.upstream.QueryRandomiser;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Builds the queries the iterator sends to name servers. */
final class UpstreamQueryBuilder {
  /** The UDP payload we advertise upstream: DNS flag day 2020's 1232 avoids IP fragmentation. */
  static final int ADVERTISED_UDP_PAYLOAD = 1232;

  private final QueryRandomiser randomiser;
  private final CaseRandomisation caseRandomisation;
  private final boolean dnssecOk;

  UpstreamQueryBuilder(QueryRandomiser randomiser) {
    this(randomiser, false);
  }

  /** With {@code dnssecOk}, every query sets DO (RFC 3225 3, RFC 4035 4.1): a validator needs the RRSIGs. */
  UpstreamQueryBuilder(QueryRandomiser randomiser, boolean dnssecOk) {
    this.randomiser = requireNonNull(randomiser, "randomiser");
    this.caseRandomisation = new CaseRandomisation(randomiser);
    this.dnssecOk = dnssecOk;
  }

  /**
   * A query for {@code name}/{@code type}: a random ID (RFC 5452 9.2), RD clear (we iterate, the
   * servers must not recurse for us, RFC 1034 5.3.1), EDNS with our payload size and, when
   * validating, DO. Its question holds the name in its own letter case; the 0x20 spelling that goes
   * on the wire is {@link #nameOnWire}'s.
   */
  Message build(Name name, int type) {
    Message query = new Message(randomiser.nextId());
    query.getHeader().unsetFlag(Flags.RD);
    query.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
    query.addRecord(new OPTRecord(ADVERTISED_UDP_PAYLOAD, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return query;
  }

  /**
   * With {@code scrambleCase}, the question name's wire form in 0x20 letter case, for the upstream
   * client to send in place of the query's own spelling (a Name of that spelling, read back from
   * these bytes, cost a miss ~300 bytes and the rendering of it more); else null: sent as it is.
   */
  byte[] nameOnWire(Name name, boolean scrambleCase) {
    return caseRandomisation.onWire(name, scrambleCase);
  }
}
