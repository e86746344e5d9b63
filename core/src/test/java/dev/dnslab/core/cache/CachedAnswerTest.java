package dev.dnslab.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class CachedAnswerTest {
  private final AtomicLong now = new AtomicLong(1000);
  private final RecordCache cache =
      new RecordCache(100, TtlLimits.DEFAULT, now::get, new CacheMetrics(new SimpleMeterRegistry(), "router"));

  @Test
  void followsCachedCnamesToTheData() throws Exception {
    store(cname("www.naver.com.", "www.naver.com.nheos.com."));
    store(a("www.naver.com.nheos.com.", "127.53.0.80"));

    CachedAnswer answer = CachedAnswer.lookUp(cache, name("www.naver.com."), Type.A, 8, Set.of());

    assertThat(answer).isInstanceOf(CachedAnswer.Data.class);
    assertThat(answer.chain()).extracting(r -> Type.string(r.getType())).containsExactly("CNAME", "A");
  }

  @Test
  void synthesisesTheCnameFromACachedDname() throws Exception {
    RRset dname = new RRset(new DNAMERecord(name("nhn.com."), DClass.IN, 3600, name("naver.com.")));
    cache.putPositive(dname, CacheRank.ANSWER, name("nhn.com."));
    store(a("mail.naver.com.", "127.53.0.80"));
    now.addAndGet(100); // 100 s later: the DNAME has 3500 s left

    CachedAnswer answer = CachedAnswer.lookUp(cache, name("mail.nhn.com."), Type.A, 8, Set.of());

    // RFC 6672 3.4: the DNAME, the CNAME made from it with the DNAME's remaining TTL, the data.
    assertThat(answer).isInstanceOf(CachedAnswer.Data.class);
    assertThat(answer.chain()).extracting(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.getTTL()
        + " " + r.rdataToString()).containsExactly(
            "nhn.com. DNAME 3500 naver.com.",
            "mail.nhn.com. CNAME 3500 mail.naver.com.",
            "mail.naver.com. A 200 127.53.0.80");
    // Asked for the CNAME itself, the synthesised one is the answer.
    assertThat(CachedAnswer.lookUp(cache, name("mail.nhn.com."), Type.CNAME, 8, Set.of()).chain())
        .extracting(r -> Type.string(r.getType())).containsExactly("DNAME", "CNAME");
    // The owner itself is not redirected.
    assertThat(CachedAnswer.lookUp(cache, name("nhn.com."), Type.A, 8, Set.of())).isInstanceOf(CachedAnswer.Miss.class);
  }

  @Test
  void answersTheNegativeEntryAtTheEndOfTheChain() throws Exception {
    store(cname("old.google.com.", "gone.google.com."));
    cache.putNegative(name("gone.google.com."), Type.A, true, soa(), name("google.com."));

    CachedAnswer answer = CachedAnswer.lookUp(cache, name("old.google.com."), Type.A, 8, Set.of());

    assertThat(answer).isInstanceOfSatisfying(CachedAnswer.Negative.class, negative -> {
      assertThat(negative.nxdomain()).isTrue();
      assertThat(negative.name()).isEqualTo(name("gone.google.com."));
      assertThat(negative.chain()).hasSize(1);
    });
  }

  @Test
  void answersANodataForTheTypeItWasCachedForWhileItIsFresh() throws Exception {
    cache.putNegative(name("www.google.com."), Type.AAAA, false, soa(), name("google.com."));

    assertThat(CachedAnswer.lookUp(cache, name("www.google.com."), Type.AAAA, 8, Set.of()))
        .isInstanceOfSatisfying(CachedAnswer.Negative.class, negative -> assertThat(negative.nxdomain()).isFalse());
    assertThat(CachedAnswer.lookUp(cache, name("www.google.com."), Type.A, 8, Set.of()))
        .isInstanceOf(CachedAnswer.Miss.class);
    now.addAndGet(301); // past the SOA's 300 s
    assertThat(CachedAnswer.lookUp(cache, name("www.google.com."), Type.AAAA, 8, Set.of()))
        .isInstanceOf(CachedAnswer.Miss.class);
  }

  @Test
  void stopsAtACnameLoop() throws Exception {
    store(cname("a.loop.test.", "b.loop.test."));
    store(cname("b.loop.test.", "a.loop.test."));

    CachedAnswer answer = CachedAnswer.lookUp(cache, name("a.loop.test."), Type.A, 8, Set.of());

    assertThat(answer).isInstanceOfSatisfying(CachedAnswer.Miss.class,
        miss -> assertThat(miss.name()).isEqualTo(name("a.loop.test.")));
    assertThat(answer.chain()).hasSize(2);
  }

  @Test
  void stopsAfterTheMostLinksAllowed() throws Exception {
    store(cname("one.test.", "two.test."));
    store(cname("two.test.", "three.test."));
    store(a("three.test.", "192.0.2.1"));

    CachedAnswer answer = CachedAnswer.lookUp(cache, name("one.test."), Type.A, 1, Set.of());

    assertThat(answer).isInstanceOfSatisfying(CachedAnswer.Miss.class,
        miss -> assertThat(miss.name()).isEqualTo(name("two.test.")));
  }

  @Test
  void missesWithAnEmptyChainWhenNothingIsCached() throws Exception {
    CachedAnswer answer = CachedAnswer.lookUp(cache, name("www.google.com."), Type.A, 8, Set.of());

    assertThat(answer).isEqualTo(new CachedAnswer.Miss(List.of(), name("www.google.com.")));
  }

  @Test
  void answersANameInAnyLetterCase() throws Exception {
    store(a("www.google.com.", "192.0.2.1"));

    // RFC 4343 3: names compare without regard to ASCII case.
    CachedAnswer answer = CachedAnswer.lookUp(cache, name("WWW.Google.COM."), Type.A, 8, Set.of());

    assertThat(answer).isInstanceOf(CachedAnswer.Data.class);
  }

  @Test
  void answersStaleAlongAnExpiredChainWithTheStaleTtl() throws Exception {
    RecordCache withWindow =
        new RecordCache(100, TtlLimits.DEFAULT, 86_400, now::get, new CacheMetrics(new SimpleMeterRegistry(), "recursor"));
    withWindow.putPositive(new RRset(cname("www.naver.com.", "www.naver.com.nheos.com.")), CacheRank.ANSWER, Name.root);
    withWindow.putPositive(new RRset(a("www.naver.com.nheos.com.", "127.53.0.80")), CacheRank.ANSWER, Name.root);
    withWindow.putFailure(name("www.naver.com."), Type.A, Name.root, "every server timed out");
    now.addAndGet(3600);

    CachedAnswer stale = CachedAnswer.lookUpStale(withWindow, name("www.naver.com."), Type.A, 8, 30);

    // RFC 8767 4: expired data, each record with the stale TTL; the failure is why it is served.
    assertThat(CachedAnswer.lookUp(withWindow, name("www.naver.com."), Type.A, 8, Set.of()))
        .isInstanceOf(CachedAnswer.Miss.class);
    assertThat(stale).isInstanceOf(CachedAnswer.Data.class);
    assertThat(stale.chain()).extracting(r -> Type.string(r.getType()) + " " + r.getTTL())
        .containsExactly("CNAME 30", "A 30");
  }

  @Test
  void answersAStaleNegativeWithTheStaleTtlOnItsSoa() throws Exception {
    RecordCache withWindow =
        new RecordCache(100, TtlLimits.DEFAULT, 86_400, now::get, new CacheMetrics(new SimpleMeterRegistry(), "recursor"));
    withWindow.putNegative(name("nosuch.google.com."), Type.A, true, soa(), name("google.com."));
    now.addAndGet(3600);

    CachedAnswer stale = CachedAnswer.lookUpStale(withWindow, name("nosuch.google.com."), Type.A, 8, 30);

    assertThat(stale).isInstanceOf(CachedAnswer.Negative.class);
    assertThat(((CachedAnswer.Negative) stale).nxdomain()).isTrue();
    assertThat(((CachedAnswer.Negative) stale).soa().getTTL()).isEqualTo(30);
  }

  @Test
  void missesStaleWhenTheCacheKeepsNothingPastTheTtl() throws Exception {
    store(a("www.google.com.", "127.53.0.13"));
    now.addAndGet(300);

    assertThat(CachedAnswer.lookUpStale(cache, name("www.google.com."), Type.A, 8, 30))
        .isInstanceOf(CachedAnswer.Miss.class);
  }

  private void store(Record record) {
    cache.putPositive(new RRset(record), CacheRank.ANSWER, Name.root);
  }

  private static Record cname(String owner, String target) throws Exception {
    return new CNAMERecord(name(owner), DClass.IN, 300, name(target));
  }

  private static Record a(String owner, String address) throws Exception {
    return new ARecord(name(owner), DClass.IN, 300, InetAddress.getByName(address));
  }

  private static SOARecord soa() throws Exception {
    return new SOARecord(name("google.com."), DClass.IN, 300, name("ns1.google.com."), name("admin.google.com."),
        1, 3600, 600, 86400, 300);
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }
}
