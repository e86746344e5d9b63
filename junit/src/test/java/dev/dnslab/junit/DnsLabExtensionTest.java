package dev.dnslab.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.TrustAnchorFormat;
import dev.dnslab.core.fault.RecordedQuery;
import dev.dnslab.core.server.Transport;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** @DnsLab on a class and on a method, queried over real sockets with dnsjava. */
@DnsLab
class DnsLabExtensionTest {
  static Message ask(java.net.InetSocketAddress server, String name, boolean tcp) throws Exception {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(Duration.ofSeconds(3));
    resolver.setTCP(tcp);
    resolver.setIgnoreTruncation(true);
    return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  @Test
  void injectsARunningLabOnOneSharedPort(Lab lab) throws Exception {
    Message referral = ask(lab.root(), "www.google.com.", false);

    assertThat(referral.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(referral.getSection(Section.ADDITIONAL).stream().map(Record::rdataToString))
        .contains(lab.tld().getAddress().getHostAddress());
    assertThat(lab.tld().getPort()).isEqualTo(lab.root().getPort()).isEqualTo(lab.port());
    assertThat(lab.scenario()).isEmpty();
  }

  @Test
  void writesRootHintsNamingOnlyTheLabRoot(Lab lab) throws Exception {
    assertThat(Files.readString(lab.rootHints()))
        .contains("a.root-servers.net.")
        .contains(lab.root().getAddress().getHostAddress());
  }

  @Test
  void recordsTheQueriesOfThisTestOnly(Lab lab) throws Exception {
    ask(lab.authoritative(), "WwW.nAvEr.CoM.", false);

    RecordedQuery query = lab.journal().awaitQuery(q -> q.isFor("www.naver.com."), Duration.ofSeconds(2));
    assertThat(query.qname()).isEqualTo("WwW.nAvEr.CoM.");
    assertThat(query.server()).isEqualTo("authoritative-ns");
    assertThat(lab.journal().queries()).hasSize(1);
  }

  @Test
  void translatesZoneFileAddressesIntoTheLabNetwork(Lab lab) throws Exception {
    Message answer = ask(lab.authoritative(), "www.google.com.", false);

    assertThat(answer.getSection(Section.ANSWER).get(0).rdataToString())
        .isEqualTo(lab.address("127.53.0.80").getHostAddress());
  }

  @Test
  @DnsLab(scenario = "truncate")
  void givesAMethodItsOwnScenarioLab(Lab lab) throws Exception {
    Message overUdp = ask(lab.authoritative(), "www.google.com.", false);
    Message overTcp = ask(lab.authoritative(), "www.google.com.", true);

    assertThat(lab.scenario()).hasValueSatisfying(s -> assertThat(s.name()).isEqualTo("truncate"));
    assertThat(overUdp.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(overTcp.getSection(Section.ANSWER)).hasSize(1);
    assertThat(lab.journal().faults()).extracting(f -> f.fault()).containsExactly("truncate");
    assertThat(lab.journal().queries(q -> q.transport() == Transport.TCP)).hasSize(1);
  }

  @Test
  void handsOutTheTrustAnchorThatValidatesTheRootKeys(Lab lab) throws Exception {
    SimpleResolver resolver = new SimpleResolver(lab.root());
    resolver.setTimeout(Duration.ofSeconds(3));
    resolver.setTCP(true);
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, java.util.List.of());
    Message dnskey = resolver.send(Message.newQuery(Record.newRecord(Name.root, Type.DNSKEY, DClass.IN)));
    RRset keys = dnskey.getSectionRRsets(Section.ANSWER).get(0);

    TrustAnchor anchor = lab.trustAnchor();

    // RFC 4035 5.2: the anchor's DS names a key of the root's DNSKEY RRset, which signed the RRset.
    DNSKEYRecord entryKey = anchor.dnskeys().get(0);
    assertThat(keys.rrs()).contains(entryKey);
    assertThat(anchor.ds().get(0).getFootprint()).isEqualTo(entryKey.getFootprint());
    RRSIGRecord signature = keys.sigs().stream().filter(s -> s.getFootprint() == entryKey.getFootprint()).findFirst().orElseThrow();
    DNSSEC.verify(keys, signature, entryKey, java.time.Instant.now());
    assertThat(lab.trustAnchorConfig(TrustAnchorFormat.UNBOUND)).contains(lab.trustAnchorFile().toString());
    assertThat(Files.readString(lab.trustAnchorFile())).contains(anchor.ds().get(0).rdataToString());
  }

  @Test
  @DnsLab(dnssec = false)
  void servesUnsignedWhenAsked(Lab lab) throws Exception {
    SimpleResolver resolver = new SimpleResolver(lab.root());
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, java.util.List.of());
    Message referral = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN)));

    assertThat(referral.getSection(Section.AUTHORITY)).extracting(Record::getType).containsOnly(Type.NS);
  }

  @Nested
  class InANestedClass {
    @Test
    void seesTheEnclosingClassLab(Lab lab) throws Exception {
      assertThat(ask(lab.root(), "com.", false).getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }
}
