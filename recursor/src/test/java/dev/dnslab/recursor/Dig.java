package dev.dnslab.recursor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/** A stub client for tests: one query over real UDP (or TCP) with dnsjava, like dig. */
final class Dig {
  private Dig() {}

  static Message query(InetSocketAddress server, String name, int type) throws Exception {
    return query(server, name, type, false, null);
  }

  static Message query(InetSocketAddress server, String name, int type, boolean tcp, InetSocketAddress from)
      throws Exception {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(5));
    if (from != null) {
      resolver.setLocalAddress(from);
    }
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    return resolver.send(query);
  }

  /** An A query with RD clear, which the recursor answers from its cache alone (RFC 1034 4.3.1). */
  static Message queryWithoutRecursion(InetSocketAddress server, String name) throws Exception {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(Duration.ofSeconds(5));
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), org.xbill.DNS.Type.A, DClass.IN));
    query.getHeader().unsetFlag(Flags.RD);
    return resolver.send(query);
  }

  /**
   * One query over UDP with EDNS (payload 1232, as dig sends), with DO and CD as given (RFC 3225,
   * RFC 4035 3.2.2); {@code ad} sets the AD bit on the query (RFC 6840 5.7).
   */
  static Message queryEdns(InetSocketAddress server, String name, int type, boolean dnssecOk, boolean checkingDisabled,
      boolean ad) throws Exception {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(Duration.ofSeconds(5));
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    if (checkingDisabled) {
      query.getHeader().setFlag(Flags.CD);
    }
    if (ad) {
      query.getHeader().setFlag(Flags.AD);
    }
    query.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return resolver.send(query);
  }

  /** One query over UDP without EDNS (dnsjava adds OPT unless told not to), like {@code dig +noedns}. */
  static Message queryWithoutEdns(InetSocketAddress server, String name, int type) throws Exception {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(Duration.ofSeconds(5));
    resolver.setEDNS(-1);
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    return resolver.send(query);
  }

  /** The EDE option of a response (RFC 8914), or null. */
  static ExtendedErrorCodeOption ede(Message response) {
    OPTRecord opt = response.getOPT();
    if (opt == null) {
      return null;
    }
    return opt.getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR).stream()
        .map(ExtendedErrorCodeOption.class::cast).findFirst().orElse(null);
  }

  /** The answer section as "name type rdata" lines without TTLs, sorted: for comparing answers. */
  static Set<String> answerWithoutTtl(Message message) {
    Set<String> lines = new TreeSet<>();
    List<Record> answer = message.getSection(Section.ANSWER);
    for (Record record : answer) {
      lines.add(record.getName().toString().toLowerCase() + " " + org.xbill.DNS.Type.string(record.getType())
          + " " + record.rdataToString().toLowerCase());
    }
    return lines;
  }
}
