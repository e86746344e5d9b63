package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.server.Transport;
import dev.dnslab.junit.DnsLab;
import dev.dnslab.junit.Lab;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * How an outside project tests its own resolver against the lab, using only dnslab-junit's public
 * API: {@code @DnsLab}, {@code Lab} and the journal. The "resolver" here is a tiny iterative one
 * written for the example; yours would be started with {@code lab.rootHints()} instead.
 */
@DnsLab(scenario = "truncate")
class ResolverUnderTestExampleTest {

  @Test
  void myResolverRetriesOverTcpAfterTruncation(Lab lab) throws Exception {
    TinyIterativeResolver resolver = new TinyIterativeResolver(lab.root());

    String address = resolver.resolve("www.google.com.");

    assertThat(address).isEqualTo(lab.address("127.53.0.80").getHostAddress());
    assertThat(lab.journal().faults()).extracting(f -> f.fault()).contains("truncate");
    assertThat(lab.journal().queries(q -> q.server().equals("authoritative-ns") && q.transport() == Transport.TCP))
        .as("the resolver asked the authoritative server again over TCP").isNotEmpty();
  }

  @Test
  void myResolverStartsAtTheLabRoot(Lab lab) throws Exception {
    new TinyIterativeResolver(lab.root()).resolve("www.naver.com.");

    assertThat(lab.journal().queries().get(0).server()).isEqualTo("root-ns");
  }

  /** Follows referrals from the root using glue, and retries over TCP on TC (RFC 1035 4.2.1). */
  static final class TinyIterativeResolver {
    private final InetSocketAddress root;

    TinyIterativeResolver(InetSocketAddress root) {
      this.root = root;
    }

    String resolve(String name) throws Exception {
      InetSocketAddress server = root;
      Name qname = Name.fromString(name);
      for (int referrals = 0; referrals < 10; referrals++) {
        Message response = ask(server, qname);
        for (Record record : response.getSection(Section.ANSWER)) {
          if (record instanceof ARecord a) {
            return a.getAddress().getHostAddress();
          }
          if (record.getType() == Type.CNAME) {
            qname = ((org.xbill.DNS.CNAMERecord) record).getTarget();
          }
        }
        InetSocketAddress next = null;
        for (Record ns : response.getSection(Section.AUTHORITY)) {
          if (ns instanceof NSRecord nsRecord) {
            for (Record glue : response.getSection(Section.ADDITIONAL)) {
              if (glue instanceof ARecord a && glue.getName().equals(nsRecord.getTarget())) {
                next = new InetSocketAddress(a.getAddress(), root.getPort());
              }
            }
          }
        }
        if (next == null && response.getSection(Section.ANSWER).isEmpty()) {
          throw new IllegalStateException("no answer and no referral for " + qname);
        }
        if (next != null) {
          server = next;
        }
      }
      throw new IllegalStateException("too many referrals for " + name);
    }

    private static Message ask(InetSocketAddress server, Name qname) throws Exception {
      SimpleResolver udp = new SimpleResolver(server);
      udp.setTimeout(Duration.ofSeconds(2));
      udp.setIgnoreTruncation(true);
      Message query = Message.newQuery(Record.newRecord(qname, Type.A, DClass.IN));
      query.getHeader().unsetFlag(org.xbill.DNS.Flags.RD);
      Message response = udp.send(query);
      if (response.getHeader().getFlag(org.xbill.DNS.Flags.TC)) {
        udp.setTCP(true);
        response = udp.send(query);
      }
      return response;
    }
  }
}
