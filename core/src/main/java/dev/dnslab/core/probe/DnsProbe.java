package dev.dnslab.core.probe;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One DNS query, judged by what the role should answer: an authority above the name refers
 * (root, TLD), the authoritative server and the recursor answer.
 */
@Command(
    name = "dns",
    mixinStandardHelpOptions = true,
    description = "Sends one DNS query and checks the kind of reply.")
final class DnsProbe implements Callable<Integer> {
  /** What a healthy reply looks like. */
  enum Expect {
    /** NOERROR with at least one record of the asked type in the answer section. */
    ANSWER,
    /** NOERROR, no answer, NS records in the authority section (RFC 1034 4.3.2 step 3b). */
    REFERRAL,
    /** Any NOERROR reply: the server parses and answers. */
    NOERROR,
    /**
     * NOERROR or NXDOMAIN: the name was resolved, to data or to its absence (RFC 2308 2.1); a
     * forwarder answers SERVFAIL when its upstream did not.
     */
    RESOLVED;

    /** Null when {@code reply} is what this expects for a question of {@code qtype}, else what is wrong. */
    String judge(Message reply, int qtype) {
      int rcode = reply.getRcode();
      if (this == RESOLVED && rcode == Rcode.NXDOMAIN) {
        return null;
      }
      if (rcode != Rcode.NOERROR) {
        return "rcode " + Rcode.string(rcode) + " (expected: NOERROR)";
      }
      List<Record> answer = reply.getSection(Section.ANSWER);
      List<Record> authority = reply.getSection(Section.AUTHORITY);
      switch (this) {
        case ANSWER:
          return answer.stream().anyMatch(r -> r.getType() == qtype) ? null : "no " + Type.string(qtype) + " in the answer";
        case REFERRAL:
          boolean referral = answer.isEmpty() && authority.stream().anyMatch(r -> r.getType() == Type.NS);
          return referral ? null : "not a referral";
        default:
          return null;
      }
    }
  }

  @Option(names = "--server", description = "Server address (default: ${DEFAULT-VALUE}).")
  String server = "127.0.0.1";

  @Option(names = "--port", description = "Server port (default: ${DEFAULT-VALUE}).")
  int port = 53;

  @Option(names = "--name", required = true, description = "Name to ask for, e.g. www.google.com.")
  String name;

  @Option(names = "--type", description = "Record type (default: ${DEFAULT-VALUE}).")
  String type = "A";

  @Option(
      names = "--expect",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Expect expect = Expect.ANSWER;

  @Option(names = "--tcp", description = "Ask over TCP instead of UDP.")
  boolean tcp;

  @Option(
      names = "--recurse",
      negatable = true,
      description = "Set RD, or not with --no-recurse (default: on for ANSWER, off otherwise).")
  Boolean recurse;

  @Option(names = "--timeout-ms", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  long timeoutMs = 2000;

  @Override
  public Integer call() {
    try {
      int qtype = Type.value(type, true);
      if (qtype < 0) {
        System.out.println("dns: unknown type " + type);
        return HealthProbe.UNHEALTHY;
      }
      Name qname = Name.fromString(name, Name.root);
      SimpleResolver resolver = new SimpleResolver(server);
      resolver.setPort(port);
      resolver.setTCP(tcp);
      resolver.setTimeout(Duration.ofMillis(timeoutMs));
      Message query = Message.newQuery(Record.newRecord(qname, qtype, DClass.IN));
      boolean rd = recurse != null ? recurse : expect == Expect.ANSWER;
      if (!rd) {
        query.getHeader().unsetFlag(Flags.RD);
      }
      Message reply = resolver.send(query);
      String verdict = expect.judge(reply, qtype);
      String where = server + ":" + port + (tcp ? "/tcp" : "/udp");
      if (verdict == null) {
        System.out.println("dns: ok " + qname + " " + type + " @" + where + ": " + summary(reply));
        return HealthProbe.HEALTHY;
      }
      System.out.println("dns: " + verdict + " for " + qname + " " + type + " @" + where + ": " + summary(reply));
      return HealthProbe.UNHEALTHY;
    } catch (TextParseException e) {
      System.out.println("dns: bad name " + name + ": " + e.getMessage());
      return HealthProbe.UNHEALTHY;
    } catch (IOException e) {
      System.out.println("dns: no reply from " + server + ":" + port + ": " + e);
      return HealthProbe.UNHEALTHY;
    }
  }

  static String summary(Message reply) {
    StringBuilder out = new StringBuilder(Rcode.string(reply.getRcode()));
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : reply.getSection(section)) {
        out.append(", ").append(r.getName()).append(' ').append(Type.string(r.getType()))
            .append(' ').append(r.rdataToString());
      }
    }
    return out.toString();
  }
}
