package dev.dnslab.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class RRsetsTest {
  @Test
  void keepsEachRrsetWithItsSignaturesThroughUdpTruncation() throws Exception {
    List<Record> records = new java.util.ArrayList<>();
    List<Record> signatures = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      records.add(a("host" + i + ".google.com.", "192.0.2." + (i + 1)));
      signatures.add(Record.fromString(Name.fromString("host" + i + ".google.com."), Type.RRSIG, DClass.IN, 300,
          "A 13 3 300 20300101000000 20200101000000 1234 google.com. " + "A".repeat(88), Name.root));
    }
    List<Record> all = new java.util.ArrayList<>(records);
    all.addAll(signatures); // as the cache gives them: data, then signatures apart

    org.xbill.DNS.Message response = new org.xbill.DNS.Message(1);
    RRsets.records(RRsets.group(all)).forEach(r -> response.addRecord(r, org.xbill.DNS.Section.ANSWER));
    // RFC 2181 9, RFC 4035 3.1.1: cut to 512 bytes, whole RRsets go, each with its RRSIGs.
    org.xbill.DNS.Message truncated =
        new org.xbill.DNS.Message(dev.dnslab.core.wire.DnsResponseEncoder.encode(response, 512));

    List<Record> kept = truncated.getSection(org.xbill.DNS.Section.ANSWER);
    assertThat(truncated.getHeader().getFlag(org.xbill.DNS.Flags.TC)).isTrue();
    assertThat(kept).isNotEmpty().hasSizeLessThan(12);
    assertThat(kept.stream().filter(r -> r.getType() == Type.A).map(Record::getName))
        .containsExactlyElementsOf(kept.stream().filter(r -> r.getType() == Type.RRSIG).map(Record::getName).toList());
  }

  @Test
  void groupsOwnerNamesThatDifferOnlyInCaseIntoOneRRset() throws Exception {
    List<Record> answer = List.of(a("www.google.com.", "192.0.2.1"), a("WWW.Google.com.", "192.0.2.2"));

    // RFC 4343 3: www.google.com. and WWW.Google.com. are the same owner.
    List<RRset> rrsets = RRsets.group(answer);

    assertThat(rrsets).hasSize(1);
    assertThat(rrsets.get(0).size()).isEqualTo(2);
  }

  @Test
  void keepsBothAddressesWhenTheCacheStoresAMixedCaseAnswer() throws Exception {
    RecordCache cache = new RecordCache(10, TtlLimits.DEFAULT, () -> 0,
        new CacheMetrics(new SimpleMeterRegistry(), "router"));
    List<Record> answer = List.of(a("www.google.com.", "192.0.2.1"), a("WWW.Google.com.", "192.0.2.2"));

    RRsets.group(answer).forEach(rrset -> cache.putPositive(rrset, CacheRank.ANSWER, Name.root));

    assertThat(cache.positive(Name.fromString("www.google.com."), Type.A, CacheRank.ANSWER).records())
        .hasSize(2);
  }

  @Test
  void groupsOneRecordAndALoneSignatureAsTheMapWould() throws Exception {
    Record a = a("www.google.com.", "192.0.2.1");
    Record signature = Record.fromString(Name.fromString("www.google.com."), Type.RRSIG, DClass.IN, 300,
        "A 13 3 300 20300101000000 20200101000000 1234 google.com. " + "A".repeat(88), Name.root);

    assertThat(RRsets.group(List.of())).isEmpty();
    List<RRset> one = RRsets.group(List.of(a));
    assertThat(one).hasSize(1);
    assertThat(one.get(0).rrs(false)).containsExactly(a);
    // An RRSIG whose RRset is not there stays alone, as an RRset of signatures only.
    RRset alone = RRsets.group(List.of(signature)).get(0);
    assertThat(alone.size()).isZero();
    assertThat(alone.sigs()).containsExactly((org.xbill.DNS.RRSIGRecord) signature);
    assertThat(alone.getType()).isEqualTo(Type.A);
  }

  @Test
  void keepsTypesApart() throws Exception {
    Record a = a("www.google.com.", "192.0.2.1");
    Record aaaa = Record.fromString(Name.fromString("www.google.com."), Type.AAAA, DClass.IN, 300, "2001:db8::1",
        Name.root);

    assertThat(RRsets.group(List.of(a, aaaa))).hasSize(2);
  }

  private static Record a(String owner, String address) throws Exception {
    return new ARecord(Name.fromString(owner), DClass.IN, 300, InetAddress.getByName(address));
  }
}
