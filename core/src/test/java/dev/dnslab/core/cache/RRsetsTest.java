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

    assertThat(cache.positive(Name.fromString("www.google.com."), Type.A, CacheRank.ANSWER).rrset().size())
        .isEqualTo(2);
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
