package dev.dnslab.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class RecordCacheTest {
  private final AtomicLong now = new AtomicLong(1000);
  private final CacheMetrics metrics = new CacheMetrics(new SimpleMeterRegistry(), "recursor");

  private RecordCache cache(int max, TtlLimits limits) {
    return new RecordCache(max, limits, now::get, metrics);
  }

  @Test
  void countsTtlDownAndExpires() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    cache.putPositive(a("www.google.com.", 300), CacheRank.ANSWER, name("google.com."));

    now.addAndGet(120);

    assertThat(cache.positive(name("www.google.com."), Type.A, CacheRank.ANSWER).records(now.get()).get(0).getTTL())
        .isEqualTo(180);
    now.addAndGet(180);
    assertThat(cache.positive(name("www.google.com."), Type.A, CacheRank.ANSWER)).isNull();
  }

  @Test
  void announcesEveryChangeOfANamesDataOnItsStripe() throws Exception {
    RecordCache cache = cache(2, TtlLimits.DEFAULT);
    CacheChanges changes = cache.changes();
    int www = changes.stripe(name("www.google.com."));
    assertThat(changes.stripe(name("WWW.Google.COM."))).as("any spelling").isEqualTo(www);
    long started = changes.started();
    long stamp = changes.stamp(www);

    cache.putPositive(a("www.google.com.", 300), CacheRank.ANSWER, name("google.com."));
    long stored = changes.stamp(www);
    // A referral's lower rank leaves the answer in place: nothing changed.
    cache.putPositive(a("www.google.com.", 300), CacheRank.GLUE, name("google.com."));
    long kept = changes.stamp(www);
    cache.flush(name("www.google.com."));
    long flushed = changes.stamp(www);
    cache.putPositive(a("www.google.com.", 300), CacheRank.ANSWER, name("google.com."));
    long again = changes.stamp(www);
    // Past two entries the cache evicts the one closest to expiry: www.
    cache.putPositive(a("a.lab.", 3000), CacheRank.ANSWER, Name.root);
    cache.putPositive(a("b.lab.", 3000), CacheRank.ANSWER, Name.root);
    long evicted = changes.stamp(www);

    assertThat(stored).isGreaterThan(stamp);
    assertThat(kept).isEqualTo(stored);
    assertThat(flushed).isGreaterThan(kept);
    assertThat(again).isGreaterThan(flushed);
    assertThat(cache.positive(name("www.google.com."), Type.A, CacheRank.ANSWER)).as("evicted").isNull();
    assertThat(evicted).isGreaterThan(again);
    assertThat(changes.started()).as("each change announced before it was made").isGreaterThan(started + 4);
    assertThat(changes.settled()).as("and each announced change over: none left under way").isEqualTo(changes.started());
  }

  @Test
  void leavesNoChangeUnderWayAfterStoresOfEveryKindFlushesAndEvictions() throws Exception {
    RecordCache cache = cache(2, TtlLimits.DEFAULT);
    CacheChanges changes = cache.changes();
    SOARecord soa = new SOARecord(name("google.com."), DClass.IN, 300, name("ns1.google.com."),
        name("dns-admin.google.com."), 1, 900, 900, 1800, 60);

    cache.putPositive(a("www.google.com.", 300), CacheRank.ANSWER, name("google.com."));
    cache.putNegative(name("nope.google.com."), Type.A, true, soa, name("google.com."));
    // An answer for a name with a cached NXDOMAIN takes the NXDOMAIN out: a second announcement.
    cache.putPositive(a("nope.google.com.", 300), CacheRank.ANSWER, name("google.com."));
    cache.putFailure(name("broken.lab."), Type.A, Name.root, "test");
    cache.putPositive(a("a.lab.", 3000), CacheRank.ANSWER, Name.root);
    cache.flush(name("a.lab."));

    assertThat(changes.started()).isGreaterThan(5);
    assertThat(changes.settled()).isEqualTo(changes.started());
  }

  @Test
  void capsTtlsBetweenMinimumAndMaximum() throws Exception {
    RecordCache cache = cache(10, new TtlLimits(30, 3600, 600, 5));
    cache.putPositive(a("short.lab.", 5), CacheRank.ANSWER, Name.root);
    cache.putPositive(a("long.lab.", 604800), CacheRank.ANSWER, Name.root);

    assertThat(cache.positive(name("short.lab."), Type.A, CacheRank.ANSWER).remainingTtl(now.get())).isEqualTo(30);
    assertThat(cache.positive(name("long.lab."), Type.A, CacheRank.ANSWER).remainingTtl(now.get())).isEqualTo(3600);
  }

  @Test
  void takesTheNegativeTtlFromTheSoaMinimum() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    SOARecord soa = new SOARecord(name("google.com."), DClass.IN, 300, name("ns1.google.com."),
        name("dns-admin.google.com."), 1, 900, 900, 1800, 60);

    cache.putNegative(name("nosuch.google.com."), Type.A, true, soa, name("google.com."));

    CacheEntry.Negative negative = cache.negative(name("nosuch.google.com."), Type.TXT);
    assertThat(negative).as("NXDOMAIN covers every type").isNotNull();
    assertThat(negative.remainingTtl(now.get())).isEqualTo(60);
    assertThat(negative.soa(now.get()).getTTL()).isEqualTo(60);
  }

  @Test
  void neverLetsAReferralReplaceAnAnswer() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    cache.putPositive(a("ns1.google.com.", 300), CacheRank.ANSWER, name("google.com."));

    cache.putPositive(a("ns1.google.com.", 172800, "192.0.2.66"), CacheRank.GLUE, name("com."));

    CacheEntry.Positive held = cache.positive(name("ns1.google.com."), Type.A, CacheRank.GLUE);
    assertThat(held.rank()).isEqualTo(CacheRank.ANSWER);
    assertThat(held.records().get(0).rdataToString()).isEqualTo("127.53.0.13");
  }

  @Test
  void neverServesGlueAsAnAnswer() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);

    cache.putPositive(a("ns1.google.com.", 172800), CacheRank.GLUE, name("com."));

    assertThat(cache.positive(name("ns1.google.com."), Type.A, CacheRank.ANSWER)).isNull();
    assertThat(cache.positive(name("ns1.google.com."), Type.A, CacheRank.GLUE)).isNotNull();
  }

  @Test
  void evictsExpiredThenSoonestToExpireWhenFull() throws Exception {
    RecordCache cache = cache(3, TtlLimits.DEFAULT);
    cache.putPositive(a("expired.lab.", 10), CacheRank.ANSWER, Name.root);
    cache.putPositive(a("soon.lab.", 100), CacheRank.ANSWER, Name.root);
    cache.putPositive(a("late.lab.", 1000), CacheRank.ANSWER, Name.root);
    now.addAndGet(20);

    cache.putPositive(a("new1.lab.", 500), CacheRank.ANSWER, Name.root);
    cache.putPositive(a("new2.lab.", 500), CacheRank.ANSWER, Name.root);

    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.positive(name("late.lab."), Type.A, CacheRank.ANSWER)).isNotNull();
    assertThat(cache.positive(name("soon.lab."), Type.A, CacheRank.ANSWER)).isNull();
  }

  @Test
  void flushesOneNameCaseInsensitively() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    cache.putPositive(a("www.google.com.", 300), CacheRank.ANSWER, name("google.com."));
    cache.putPositive(a("www.naver.com.", 300), CacheRank.ANSWER, name("naver.com."));

    assertThat(cache.flush(name("WWW.Google.COM."))).isEqualTo(1);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void filesEntriesOfOneZoneUnderOneInstanceOfItsNameAsSpelled() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    SOARecord soa = new SOARecord(name("google.com."), DClass.IN, 300, name("ns1.google.com."),
        name("dns-admin.google.com."), 1, 900, 900, 1800, 60);
    // A copy of the zone's name per resolution, as the resolver makes them.
    Name first = name("google.com.");
    cache.putPositive(a("www.google.com.", 300), CacheRank.ANSWER, first);
    cache.putPositive(a("mail.google.com.", 300), CacheRank.ANSWER, name("google.com."));
    cache.putNegative(name("nosuch.google.com."), Type.A, true, soa, name("google.com."));
    cache.putFailure(name("lame.google.com."), Type.A, name("google.com."), "lame");
    cache.putPositive(a("ftp.google.com.", 300), CacheRank.ANSWER, name("GooGle.com."));

    assertThat(cache.positive(name("mail.google.com."), Type.A, CacheRank.ANSWER).zone()).isSameAs(first);
    assertThat(cache.negative(name("nosuch.google.com."), Type.A).zone()).isSameAs(first);
    assertThat(cache.failure(name("lame.google.com."), Type.A).zone()).isSameAs(first);
    Name spelledOtherwise = cache.positive(name("ftp.google.com."), Type.A, CacheRank.ANSWER).zone();
    assertThat(spelledOtherwise).as("the letter case as given").hasToString("GooGle.com.");
  }

  @Test
  void sharesAZoneNameSpelledInMixedCaseOnlyWithOneSpelledTheSame() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    Name mixed = name("GooGle.com.");
    cache.putPositive(a("www.google.com.", 300), CacheRank.ANSWER, mixed);
    cache.putPositive(a("mail.google.com.", 300), CacheRank.ANSWER, name("GooGle.com."));
    cache.putPositive(a("ftp.google.com.", 300), CacheRank.ANSWER, name("GOOGLE.com."));
    Name lower = name("google.com.");
    cache.putPositive(a("news.google.com.", 300), CacheRank.ANSWER, lower);
    cache.putPositive(a("maps.google.com.", 300), CacheRank.ANSWER, name("google.com."));
    cache.putPositive(a("play.google.com.", 300), CacheRank.ANSWER, name("gooGle.com."));

    assertThat(cache.positive(name("mail.google.com."), Type.A, CacheRank.ANSWER).zone()).isSameAs(mixed);
    assertThat(cache.positive(name("ftp.google.com."), Type.A, CacheRank.ANSWER).zone()).hasToString("GOOGLE.com.");
    assertThat(cache.positive(name("maps.google.com."), Type.A, CacheRank.ANSWER).zone()).isSameAs(lower);
    assertThat(cache.positive(name("play.google.com."), Type.A, CacheRank.ANSWER).zone()).hasToString("gooGle.com.");
  }

  @Test
  void knowsWhetherItHoldsAnyDnameThroughReplaceFlushAndEviction() throws Exception {
    RecordCache cache = cache(2, TtlLimits.DEFAULT);
    SOARecord soa = new SOARecord(name("lab."), DClass.IN, 300, name("ns.lab."), name("admin.lab."), 1, 900, 900,
        1800, 60);
    assertThat(cache.holdsDnames()).isFalse();

    cache.putPositive(dname("old.lab.", 300, "new.lab."), CacheRank.ANSWER, name("lab."));
    assertThat(cache.holdsDnames()).isTrue();
    cache.putPositive(dname("old.lab.", 300, "newer.lab."), CacheRank.ANSWER, name("lab."));
    cache.putNegative(name("old.lab."), Type.DNAME, false, soa, name("lab.")); // NODATA replaces it
    assertThat(cache.holdsDnames()).as("a DNAME replaced by a NODATA for DNAME").isFalse();

    cache.putPositive(dname("old.lab.", 300, "new.lab."), CacheRank.ANSWER, name("lab."));
    cache.flush(name("old.lab."));
    assertThat(cache.holdsDnames()).as("flushed").isFalse();

    cache.putPositive(dname("old.lab.", 10, "new.lab."), CacheRank.ANSWER, name("lab."));
    now.addAndGet(20); // expired, still held (it would serve stale with a window)
    assertThat(cache.holdsDnames()).isTrue();
    cache.putPositive(a("a.lab.", 300), CacheRank.ANSWER, name("lab."));
    cache.putPositive(a("b.lab.", 300), CacheRank.ANSWER, name("lab."));
    assertThat(cache.holdsDnames()).as("evicted, the soonest to expire").isFalse();
  }

  @Test
  void remembersFailuresForTheFailureTtl() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    cache.putFailure(name("www.lame.test."), Type.A, name("lame.test."), "lame");

    assertThat(cache.failure(name("www.lame.test."), Type.A)).isNotNull();
    now.addAndGet(TtlLimits.DEFAULT_FAILURE_TTL);
    assertThat(cache.failure(name("www.lame.test."), Type.A)).isNull();
  }

  @Test
  void keepsExpiredDataForServeStaleUntilTheWindowEnds() throws Exception {
    RecordCache cache = new RecordCache(10, TtlLimits.DEFAULT, 600, now::get, metrics);
    cache.putPositive(a("www.google.com.", 300), CacheRank.ANSWER, name("google.com."));

    now.addAndGet(300 + 599);

    assertThat(cache.positive(name("www.google.com."), Type.A, CacheRank.ANSWER)).as("fresh").isNull();
    assertThat(cache.stalePositive(name("www.google.com."), Type.A, CacheRank.ANSWER)).as("stale").isNotNull();
    now.addAndGet(1);
    assertThat(cache.stalePositive(name("www.google.com."), Type.A, CacheRank.ANSWER)).as("past the window").isNull();
  }

  @Test
  void keepsExpiredNegativeAnswersForServeStale() throws Exception {
    RecordCache cache = new RecordCache(10, TtlLimits.DEFAULT, 600, now::get, metrics);
    SOARecord soa = new SOARecord(name("google.com."), DClass.IN, 300, name("ns1.google.com."),
        name("dns-admin.google.com."), 1, 900, 900, 1800, 60);
    cache.putNegative(name("nosuch.google.com."), Type.A, true, soa, name("google.com."));

    now.addAndGet(60 + 300);

    assertThat(cache.negative(name("nosuch.google.com."), Type.A)).as("fresh").isNull();
    assertThat(cache.staleNegative(name("nosuch.google.com."), Type.AAAA).nxdomain()).as("stale NXDOMAIN").isTrue();
  }

  @Test
  void keepsNothingStaleWithoutAWindow() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    cache.putPositive(a("www.google.com.", 300), CacheRank.ANSWER, name("google.com."));

    now.addAndGet(300);

    assertThat(cache.stalePositive(name("www.google.com."), Type.A, CacheRank.ANSWER)).isNull();
  }

  @Test
  void evictsStaleDataBeforeFreshDataWhenFull() throws Exception {
    RecordCache cache = new RecordCache(3, TtlLimits.DEFAULT, 3600, now::get, metrics);
    cache.putPositive(a("past-window.lab.", 10), CacheRank.ANSWER, Name.root);
    now.addAndGet(3600);
    cache.putPositive(a("stale.lab.", 10), CacheRank.ANSWER, Name.root);
    cache.putPositive(a("soon.lab.", 100), CacheRank.ANSWER, Name.root);
    now.addAndGet(20);

    cache.putPositive(a("new1.lab.", 500), CacheRank.ANSWER, Name.root);
    cache.putPositive(a("new2.lab.", 500), CacheRank.ANSWER, Name.root);

    // Bounded like the cache: past the window first, then stale, and only then fresh data.
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.stalePositive(name("stale.lab."), Type.A, CacheRank.ANSWER)).isNull();
    assertThat(cache.positive(name("soon.lab."), Type.A, CacheRank.ANSWER)).isNotNull();
  }

  @Test
  void makesRoomForASixteenthOfTheCacheAtOnceSoAFullCacheIsNotWalkedPerInsert() throws Exception {
    RecordCache cache = cache(1_600, TtlLimits.DEFAULT);
    for (int i = 0; i < 1_600; i++) {
      cache.putPositive(a("fill" + i + ".lab.", 300 + i), CacheRank.ANSWER, Name.root);
    }
    assertThat(cache.size()).isEqualTo(1_600);

    cache.putPositive(a("one-more.lab.", 3600), CacheRank.ANSWER, Name.root);

    // Down to 1,600 - 1,600 / 16: the next hundred names fit without another walk.
    assertThat(cache.size()).isEqualTo(1_500);
    assertThat(cache.positive(name("one-more.lab."), Type.A, CacheRank.ANSWER)).isNotNull();
    for (int i = 0; i < 100; i++) {
      cache.putPositive(a("next" + i + ".lab.", 3600), CacheRank.ANSWER, Name.root);
    }
    assertThat(cache.size()).isEqualTo(1_600);
  }

  @Test
  void evictsWhileOverItsMemoryBoundSoonestToExpireFirst() throws Exception {
    long bound = 64 * 1024;
    RecordCache cache = new RecordCache(1_000_000, bound, TtlLimits.DEFAULT, 0, now::get, metrics);
    for (int i = 0; i < 5_000; i++) {
      // Later names live longer: the soonest to expire are the oldest.
      cache.putPositive(a("fill" + i + ".lab.", 1_000 + i), CacheRank.ANSWER, Name.root);
      assertThat(cache.retainedBytes()).isLessThanOrEqualTo(bound);
    }

    assertThat(cache.size()).as("bounded by bytes, not by its million entries").isLessThan(5_000);
    assertThat(cache.positive(name("fill4999.lab."), Type.A, CacheRank.ANSWER)).as("newest kept").isNotNull();
    assertThat(cache.positive(name("fill0.lab."), Type.A, CacheRank.ANSWER)).as("oldest gone").isNull();
    assertThat(cache.positive(name("fill2000.lab."), Type.A, CacheRank.ANSWER)).isNull();
  }

  @Test
  void countsTheBytesOfWhatItHoldsThroughReplaceFlushAndExpiry() throws Exception {
    RecordCache cache = new RecordCache(1_000_000, 1L << 30, TtlLimits.DEFAULT, 0, now::get, metrics);
    SOARecord soa = new SOARecord(name("lab."), DClass.IN, 300, name("ns.lab."), name("admin.lab."), 1, 900, 900,
        1800, 60);
    cache.putPositive(a("www.lab.", 300), CacheRank.ANSWER, Name.root);
    long one = cache.retainedBytes();
    assertThat(one).isGreaterThan(RetainedBytes.ENTRY);

    cache.putPositive(a("www.lab.", 300, "127.53.0.14"), CacheRank.ANSWER, Name.root);
    assertThat(cache.retainedBytes()).as("replaced, not added").isEqualTo(one);
    cache.putNegative(name("nosuch.lab."), Type.A, true, soa, name("lab."));
    cache.putFailure(name("lame.lab."), Type.A, name("lab."), "lame");
    cache.putPositive(a("nosuch.lab.", 300), CacheRank.ANSWER, Name.root); // replaces the NXDOMAIN
    assertThat(cache.flush(name("www.lab."))).isEqualTo(1);
    assertThat(cache.flushAll()).isEqualTo(2);

    assertThat(cache.retainedBytes()).isZero();
  }

  @Test
  void staysBoundedByEntriesOnlyWithoutAMemoryBound() throws Exception {
    RecordCache cache = cache(100, TtlLimits.DEFAULT);
    for (int i = 0; i < 1_000; i++) {
      cache.putPositive(a("fill" + i + ".lab.", 1_000 + i), CacheRank.ANSWER, Name.root);
    }

    assertThat(cache.size()).isLessThanOrEqualTo(100);
    assertThat(cache.positive(name("fill999.lab."), Type.A, CacheRank.ANSWER)).isNotNull();
  }

  @Test
  void publishesItsBytesNextToItsEntries() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RecordCache cache = new RecordCache(10, TtlLimits.DEFAULT, now::get, new CacheMetrics(registry, "recursor"));
    cache.putPositive(a("www.lab.", 300), CacheRank.ANSWER, Name.root);

    assertThat(registry.get(CacheMetrics.BYTES).tag("role", "recursor").gauge().value())
        .isEqualTo(cache.retainedBytes());
  }

  @Test
  void evictsExactlyTheSoonestToExpireNotASampleOfThem() throws Exception {
    RecordCache cache = cache(512, TtlLimits.DEFAULT);
    List<Integer> ttls = new ArrayList<>();
    for (int i = 0; i < 512; i++) {
      ttls.add(100 + i);
    }
    Collections.shuffle(ttls, new Random(16));
    for (int ttl : ttls) {
      cache.putPositive(a("ttl" + ttl + ".lab.", ttl), CacheRank.ANSWER, Name.root);
    }

    cache.putPositive(a("one-more.lab.", 3600), CacheRank.ANSWER, Name.root);

    // Down to 512 - 512 / 16: the 33 that go are the 33 that expire first, wherever they sit.
    assertThat(cache.size()).isEqualTo(480);
    for (int ttl : ttls) {
      assertThat(cache.positive(name("ttl" + ttl + ".lab."), Type.A, CacheRank.ANSWER)).as("TTL " + ttl)
          .matches(kept -> (kept != null) == (ttl >= 100 + 33));
    }
  }

  @Test
  void keepsDelegationsAndKeysWhileAFloodOfNewNamesFillsIt() throws Exception {
    RecordCache cache = cache(100, TtlLimits.DEFAULT);
    // Shorter-lived than every answer of the flood: by expiry alone they would go first.
    cache.putPositive(ns("miss.lab.", 60, "ns1.miss.lab."), CacheRank.REFERRAL, name("lab."));
    cache.putPositive(a("ns1.miss.lab.", 60), CacheRank.GLUE, name("lab."));
    cache.putPositive(new RRset(new DNSKEYRecord(name("miss.lab."), DClass.IN, 60, 257, 3, 13, new byte[64])),
        CacheRank.ANSWER, name("miss.lab."));

    for (int i = 0; i < 10_000; i++) {
      cache.putPositive(a("flood" + i + ".miss.lab.", 300), CacheRank.ANSWER, name("miss.lab."));
    }

    assertThat(cache.size()).isLessThanOrEqualTo(100);
    assertThat(cache.positive(name("miss.lab."), Type.NS, CacheRank.REFERRAL)).as("NS").isNotNull();
    assertThat(cache.positive(name("ns1.miss.lab."), Type.A, CacheRank.GLUE)).as("glue").isNotNull();
    assertThat(cache.positive(name("miss.lab."), Type.DNSKEY, CacheRank.ANSWER)).as("DNSKEY").isNotNull();
    assertThat(cache.positive(name("flood9999.miss.lab."), Type.A, CacheRank.ANSWER)).as("newest").isNotNull();
  }

  @Test
  void evictsExpiredDelegationsBeforeFreshAnswers() throws Exception {
    RecordCache cache = cache(3, TtlLimits.DEFAULT);
    cache.putPositive(ns("old.lab.", 10, "ns1.old.lab."), CacheRank.REFERRAL, name("lab."));
    cache.putPositive(a("one.lab.", 300), CacheRank.ANSWER, Name.root);
    cache.putPositive(a("two.lab.", 300), CacheRank.ANSWER, Name.root);
    now.addAndGet(20);

    cache.putPositive(a("three.lab.", 300), CacheRank.ANSWER, Name.root);

    assertThat(cache.size()).isEqualTo(3);
    for (String answer : List.of("one.lab.", "two.lab.", "three.lab.")) {
      assertThat(cache.positive(name(answer), Type.A, CacheRank.ANSWER)).as(answer).isNotNull();
    }
  }

  @Test
  void letsAFloodOfDelegationsPushOutOnlyItselfOnceItHoldsMoreThanTheAnswers() throws Exception {
    RecordCache cache = cache(100, TtlLimits.DEFAULT);
    for (int i = 0; i < 10; i++) {
      cache.putPositive(a("answer" + i + ".lab.", 3600), CacheRank.ANSWER, Name.root);
    }

    for (int i = 0; i < 1_000; i++) {
      cache.putPositive(ns("zone" + i + ".lab.", 300 + i, "ns.zone" + i + ".lab."), CacheRank.REFERRAL,
          name("lab."));
    }

    assertThat(cache.size()).isLessThanOrEqualTo(100);
    assertThat(cache.positive(name("answer0.lab."), Type.A, CacheRank.ANSWER)).isNotNull();
    assertThat(cache.positive(name("zone999.lab."), Type.NS, CacheRank.REFERRAL)).isNotNull();
    assertThat(cache.positive(name("zone0.lab."), Type.NS, CacheRank.REFERRAL)).isNull();
  }

  @Test
  void holdsItsByteBoundAfterManyInsertsOfEveryKind() throws Exception {
    long bound = 32 * 1024;
    RecordCache cache = new RecordCache(1_000_000, bound, TtlLimits.DEFAULT, 600, now::get, metrics);
    SOARecord soa = new SOARecord(name("lab."), DClass.IN, 300, name("ns.lab."), name("admin.lab."), 1, 900, 900,
        1800, 60);
    for (int i = 0; i < 20_000; i++) {
      switch (i % 4) {
        case 0 -> cache.putPositive(a("a" + i + ".lab.", 60 + i % 600), CacheRank.ANSWER, Name.root);
        case 1 -> cache.putNegative(name("nx" + i + ".lab."), Type.A, true, soa, name("lab."));
        case 2 -> cache.putPositive(ns("z" + i % 97 + ".lab.", 300, "ns.z.lab."), CacheRank.REFERRAL, name("lab."));
        default -> cache.putNegative(name("nodata" + i + ".lab."), Type.AAAA, false, soa, name("lab."));
      }
      if (i % 1_000 == 0) {
        now.addAndGet(30);
      }
      assertThat(cache.retainedBytes()).isLessThanOrEqualTo(bound);
    }
  }

  @Test
  void keepsItsEvictionQueueAsShortAsItsEntriesWhenTheSameNamesAreStoredAgainAndAgain() throws Exception {
    RecordCache cache = new RecordCache(1_000_000, 1L << 30, TtlLimits.DEFAULT, 0, now::get, metrics);
    for (int i = 0; i < 100_000; i++) {
      if (i % 100 == 0) {
        now.incrementAndGet(); // a new expiry second: the stored-again entry needs a new place
      }
      cache.putPositive(a("again" + i % 50 + ".lab.", 300), CacheRank.ANSWER, Name.root);
    }
    cache.flushAll();
    cache.putPositive(a("last.lab.", 300), CacheRank.ANSWER, Name.root);

    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.queuedKeys()).as("swept of the keys whose entry went").isLessThanOrEqualTo(2_048);
  }

  @Test
  void countsAsEvictedOnlyWhatItEvictedNotWhatWasFlushedOrReplaced() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RecordCache cache = new RecordCache(16, TtlLimits.DEFAULT, now::get, new CacheMetrics(registry, "recursor"));
    for (int i = 0; i < 16; i++) {
      cache.putPositive(a("first" + i + ".lab.", 100), CacheRank.ANSWER, Name.root);
    }
    cache.flush(name("first0.lab."));
    cache.putPositive(a("first1.lab.", 5_000), CacheRank.ANSWER, Name.root); // replaced, queued anew

    for (int i = 0; i < 100; i++) {
      cache.putPositive(a("next" + i + ".lab.", 1_000), CacheRank.ANSWER, Name.root);
    }

    double evicted = registry.get(CacheMetrics.EVICTIONS).tag("role", "recursor").counter().count();
    assertThat(evicted).isEqualTo(16 - 1 + 100 - cache.size());
    assertThat(cache.positive(name("first1.lab."), Type.A, CacheRank.ANSWER)).as("its later expiry counts")
        .isNotNull();
  }

  @Test
  void neverEvictsAFailureHeldLessThanASecondButForgetsExpiredOnes() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    cache.putFailure(name("lame.lab."), Type.A, name("lab."), "lame");
    for (int i = 0; i < 100; i++) {
      cache.putPositive(a("fill" + i + ".lab.", 300), CacheRank.ANSWER, Name.root);
    }
    assertThat(cache.failure(name("lame.lab."), Type.A)).as("RFC 9520 3.2: held at least a second").isNotNull();
    assertThat(cache.size()).as("the failure counts against the entries").isEqualTo(10);

    now.addAndGet(TtlLimits.DEFAULT_FAILURE_TTL);
    cache.putFailure(name("lame2.lab."), Type.A, name("lab."), "lame");

    assertThat(cache.snapshot()).extracting(CacheEntry::owner).doesNotContain(name("lame.lab."));
    assertThat(cache.size()).as("the expired failure went, not only hidden").isEqualTo(10);
  }

  @Test
  void holdsItsMemoryBoundUnderAFloodOfFailuresOnceTheyAreASecondOld() throws Exception {
    long bound = 64 * 1024;
    RecordCache cache = new RecordCache(1_000_000, bound, TtlLimits.DEFAULT, 0, now::get, metrics);
    for (int second = 0; second < 10; second++) {
      for (int i = 0; i < 1_000; i++) {
        cache.putFailure(name("f" + second + "-" + i + ".lame.lab."), Type.A, name("lab."), "no server answered");
      }
      now.incrementAndGet();
    }
    // Within each second the failures of that second are over the bound (none held RFC 9520's
    // second yet); the next second's first put evicts them, oldest first, down to the bound.
    cache.putFailure(name("last.lame.lab."), Type.A, name("lab."), "no server answered");

    assertThat(cache.retainedBytes()).isLessThanOrEqualTo(bound);
    assertThat(cache.failure(name("last.lame.lab."), Type.A)).isNotNull();
    assertThat(cache.failure(name("f8-0.lame.lab."), Type.A)).as("oldest of the fresh ones went first").isNull();
  }

  @Test
  void letsAFloodOfFailuresPushOutFailuresNotTheAnswersThatLiveLonger() throws Exception {
    long bound = 64 * 1024;
    RecordCache cache = new RecordCache(1_000_000, bound, TtlLimits.DEFAULT, 0, now::get, metrics);
    for (int i = 0; i < 20; i++) {
      cache.putPositive(a("www" + i + ".lab.", 300), CacheRank.ANSWER, Name.root);
    }
    for (int second = 0; second < 4; second++) {
      for (int i = 0; i < 200; i++) {
        cache.putFailure(name("f" + second + "-" + i + ".lame.lab."), Type.A, name("lab."), "no server answered");
      }
      now.incrementAndGet();
    }
    cache.putPositive(a("new.lab.", 300), CacheRank.ANSWER, Name.root);

    assertThat(cache.retainedBytes()).isLessThanOrEqualTo(bound);
    for (int i = 0; i < 20; i++) {
      assertThat(cache.positive(name("www" + i + ".lab."), Type.A, CacheRank.ANSWER)).as("www%d", i).isNotNull();
    }
  }

  @Test
  void keepsItsByteCountExactThroughConcurrentPutsFlushesAndEvictions() throws Exception {
    RecordCache cache = new RecordCache(200, 64 * 1024, TtlLimits.DEFAULT, 0, now::get, metrics);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          try {
            cache.putPositive(a("n" + (i * 7 + thread) % 3_000 + ".lab.", 100 + i % 300), CacheRank.ANSWER,
                Name.root);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          if (i % 997 == thread) {
            cache.flush(name("n" + i % 3_000 + ".lab."));
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }

    long held = cache.snapshot().stream().mapToLong(CacheEntry::retainedBytes).sum();
    assertThat(cache.retainedBytes()).isEqualTo(held);
    cache.putPositive(a("one-more.lab.", 300), CacheRank.ANSWER, Name.root);
    assertThat(cache.size()).isLessThanOrEqualTo(200);
    assertThat(cache.retainedBytes()).isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  void holdsOneCopyOfAWildcardProofManyNamesCameWithAndServesItWithEachNamesTtl() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    // Each reply parses its own copy of the NSEC3 proving the expansion (RFC 5155 7.2.6) and its RRSIG.
    List<Record> firstReply = wildcardProof(300);
    cache.putPositive(a("one.blog.lab.", 300), CacheRank.ANSWER, name("lab."), firstReply);
    now.addAndGet(100);
    List<Record> secondReply = wildcardProof(300);
    cache.putPositive(a("two.blog.lab.", 300), CacheRank.ANSWER, name("lab."), secondReply);

    List<Record> one = cache.positive(name("one.blog.lab."), Type.A, CacheRank.ANSWER).proofs(now.get());
    List<Record> two = cache.positive(name("two.blog.lab."), Type.A, CacheRank.ANSWER).proofs(now.get());

    assertThat(one).containsExactlyElementsOf(firstReply); // equal records: owner, type and RDATA
    assertThat(one).extracting(Record::getTTL).containsExactly(200L, 200L);
    assertThat(two).containsExactlyElementsOf(secondReply);
    assertThat(two).extracting(Record::getTTL).containsExactly(300L, 300L);
    // Served at the TTL it was stored with, the second name's proof is the first reply's very records,
    for (int i = 0; i < 2; i++) {
      assertThat(two.get(i)).isSameAs(firstReply.get(i));
    }
    // which the first name's countdown did not edit: it served copies.
    assertThat(firstReply).extracting(Record::getTTL).containsExactly(300L, 300L);
    assertThat(one.get(0)).isNotSameAs(firstReply.get(0));
    assertThat(CachedAnswer.lookUp(cache, name("two.blog.lab."), Type.A, 8, Set.of()))
        .isEqualTo(new CachedAnswer.Data(List.of(a("two.blog.lab.", 300).first()), List.of(), secondReply));
  }

  @Test
  void holdsOneCopyOfTheSoaAndProofsOfNxdomainsInOneZone() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    SOARecord firstSoa = soa(60);
    List<Record> firstProof = wildcardProof(60);
    cache.putNegative(name("nx1.blog.lab."), Type.A, true, firstSoa, firstProof, name("lab."));
    now.addAndGet(10);
    cache.putNegative(name("nx2.blog.lab."), Type.A, true, soa(60), wildcardProof(60), name("lab."));

    CacheEntry.Negative first = cache.negative(name("nx1.blog.lab."), Type.A);
    CacheEntry.Negative second = cache.negative(name("nx2.blog.lab."), Type.A);

    assertThat(second.soa()).isSameAs(firstSoa);
    assertThat(second.proofs()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(second.proofs().get(i)).isSameAs(firstProof.get(i));
    }
    assertThat(first.soa(now.get()).getTTL()).isEqualTo(50);
    assertThat(first.proofs(now.get())).extracting(Record::getTTL).containsExactly(50L, 50L);
    assertThat(second.soa(now.get()).getTTL()).isEqualTo(60);
    assertThat(firstSoa.getTTL()).isEqualTo(60);
  }

  @Test
  void keepsAProofOfItsOwnWhenOnlyItsOwnerAndTypeMatchAHeldOne() throws Exception {
    RecordCache cache = cache(10, TtlLimits.DEFAULT);
    List<Record> proof = wildcardProof(300);
    cache.putPositive(a("one.blog.lab.", 300), CacheRank.ANSWER, name("lab."), proof);
    // The same owner and type, another next hashed owner name (the zone changed): another record.
    Record changed = Record.fromString(proof.get(0).getName(), Type.NSEC3, DClass.IN, 300,
        "1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJS A RRSIG", Name.root);
    cache.putPositive(a("two.blog.lab.", 300), CacheRank.ANSWER, name("lab."), List.of(changed, proof.get(1)));

    List<Record> two = cache.positive(name("two.blog.lab."), Type.A, CacheRank.ANSWER).proofs(now.get());

    assertThat(two.get(0)).isSameAs(changed);
    assertThat(two.get(1)).isSameAs(proof.get(1));
  }

  /** An NSEC3 of blog.lab. and its RRSIG, parsed afresh as each reply parses its own. */
  private static List<Record> wildcardProof(long ttl) throws Exception {
    Name owner = name("0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM.blog.lab.");
    return List.of(
        Record.fromString(owner, Type.NSEC3, DClass.IN, ttl, "1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG",
            Name.root),
        Record.fromString(owner, Type.RRSIG, DClass.IN, ttl,
            "NSEC3 13 3 300 20300101000000 20200101000000 1234 blog.lab. " + "A".repeat(88), Name.root));
  }

  private static SOARecord soa(long ttl) {
    return new SOARecord(name("blog.lab."), DClass.IN, ttl, name("ns.blog.lab."), name("admin.blog.lab."), 1,
        3600, 600, 86400, 60);
  }

  private static RRset ns(String owner, long ttl, String target) {
    return new RRset(new NSRecord(name(owner), DClass.IN, ttl, name(target)));
  }

  private static RRset dname(String owner, long ttl, String target) {
    return new RRset(new DNAMERecord(name(owner), DClass.IN, ttl, name(target)));
  }

  private static RRset a(String owner, long ttl) throws Exception {
    return a(owner, ttl, "127.53.0.13");
  }

  private static RRset a(String owner, long ttl, String address) throws Exception {
    return new RRset(new ARecord(name(owner), DClass.IN, ttl, InetAddress.getByName(address)));
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }
}
