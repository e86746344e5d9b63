package dev.dnslab.recursor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
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
