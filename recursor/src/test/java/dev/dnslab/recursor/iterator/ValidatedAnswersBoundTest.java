package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.recursor.RecursorMetrics;
import dev.dnslab.recursor.dnssec.AggressiveNegativeCache;
import dev.dnslab.recursor.dnssec.Validation;
import dev.dnslab.recursor.dnssec.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The validated-answer memo cannot grow with a flood of new names past what the record cache holds,
 * a verdict keeps the cache's own list of the records it judged, not a copy, and the count of
 * failure verdicts (which lets every resolution skip the expired-failure lookup while it is zero)
 * follows each way a verdict comes and goes.
 */
class ValidatedAnswersBoundTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RecordCache cache = new RecordCache(1_000_000, TtlLimits.DEFAULT, now::get,
      new CacheMetrics(registry, "recursor"));
  private final ValidatedAnswers validated = new ValidatedAnswers(
      () -> {
        throw new IllegalStateException("every verdict here is remembered, none asked for");
      },
      new RecursorMetrics(registry),
      new AggressiveNegativeCache(AggressiveNegativeCache.DEFAULT_MAX_RRSETS,
          ResolutionLimits.DEFAULT.validation(), Clock.systemUTC(), registry),
      cache);

  @Test
  void forgetsTheVerdictsOnDataTheCacheNoLongerHolds() throws Exception {
    for (int i = 0; i < 3_000; i++) {
      cachedAndJudged("old" + i);
    }
    assertThat(validated.size()).isEqualTo(3_000);

    cache.flushAll(); // as if evicted by the cache's bounds
    Outcome newest = null;
    for (int i = 0; i <= 200; i++) {
      newest = cachedAndJudged("new" + i);
    }

    assertThat(validated.size()).as("only the verdicts on data still cached").isLessThanOrEqualTo(201);
    assertThat(validated.judgedFromCache(name("new200"), Type.A, newest)).as("newest kept").isNotNull();
  }

  @Test
  void keepsNoMoreVerdictsThanTheCacheHoldsEntries() throws Exception {
    for (int i = 0; i < 1_500; i++) {
      cachedAndJudged("held" + i);
    }
    // Verdicts on questions whose data the cache holds, but more of them than its entries.
    cache.flushAll();
    for (int i = 0; i < 1_500; i++) {
      cache.putPositive(a("held" + i), CacheRank.ANSWER, Name.root);
    }
    for (int i = 0; i < 3_000; i++) {
      validated.remember(name("extra" + i), Type.TXT, answer("held" + (i % 1_500)), secure());
      assertThat(validated.size()).isLessThanOrEqualTo(Math.max(ValidatedAnswers.MIN_VERDICTS, cache.size()));
    }
  }

  @Test
  void forgetsTheOldestVerdictsFirstWhenAllTheirDataIsStillCached() throws Exception {
    for (int i = 0; i < ValidatedAnswers.MIN_VERDICTS; i++) {
      cache.putPositive(a("held" + i), CacheRank.ANSWER, Name.root);
    }
    // More questions than the cache holds entries, every one about data it holds.
    for (int i = 0; i < 1_200; i++) {
      validated.remember(name("q" + i), Type.TXT, answer("held" + i % ValidatedAnswers.MIN_VERDICTS), secure());
    }

    assertThat(validated.size()).isLessThanOrEqualTo(ValidatedAnswers.MIN_VERDICTS);
    assertThat(validated.judgedFromCache(name("q0"), Type.TXT, answer("held0"))).as("oldest gone").isNull();
    assertThat(validated.judgedFromCache(name("q1199"), Type.TXT, answer("held199"))).as("newest kept").isNotNull();
  }

  @Test
  void staysBoundedWhenTheSameQuestionsAreJudgedAgainAndAgain() throws Exception {
    for (int i = 0; i < 50; i++) {
      cache.putPositive(a("again" + i), CacheRank.ANSWER, Name.root);
    }
    for (int round = 0; round < 2_000; round++) {
      for (int i = 0; i < 50; i++) {
        validated.remember(name("again" + i), Type.A, answer("again" + i), secure());
      }
    }
    cache.flushAll();
    for (int i = 0; i <= ValidatedAnswers.MIN_VERDICTS; i++) {
      cachedAndJudged("new" + i);
    }

    // Judged again 2,000 times each, and then every one of them let go for new names at once.
    assertThat(validated.size()).isLessThanOrEqualTo(ValidatedAnswers.MIN_VERDICTS);
    assertThat(validated.judgedFromCache(name("again0"), Type.A, answer("new0"))).isNull();
  }

  @Test
  void keepsTheVerdictOnTheCachesListOfTheResolvedRecords() throws Exception {
    cache.putPositive(a("www"), CacheRank.ANSWER, Name.root);
    List<Record> held = cache.positive(name("www"), Type.A, CacheRank.ANSWER).records();
    Outcome resolved = new Outcome(Rcode.NOERROR, new ArrayList<>(held), List.of(), null, false);
    assertThat(resolved.answer()).as("the resolution's own list").isNotSameAs(held);

    validated.remember(name("www"), Type.A, resolved, secure());

    assertThat(validated.judgedAnswer(name("www"), Type.A)).isSameAs(held);
    assertThat(validated.judgedFromCache(name("www"), Type.A, answer("www"))).as("the next hit's verdict").isNotNull();
    now.addAndGet(10);
    assertThat(validated.judgedFromCache(name("www"), Type.A, answer("www")))
        .as("and a hit's with its TTLs counted down").isNotNull();
  }

  @Test
  void keepsTheResolutionsListWhenTheCacheHoldsOtherRecords() throws Exception {
    Record cname = new CNAMERecord(name("alias"), DClass.IN, 300, name("www"));
    cache.putPositive(new RRset(cname), CacheRank.ANSWER, Name.root);
    cache.putPositive(a("www"), CacheRank.ANSWER, Name.root);
    Outcome chain = new Outcome(Rcode.NOERROR, List.of(cname, a("www").first()), List.of(), null, false);
    cache.putPositive(a("other"), CacheRank.ANSWER, Name.root);
    Outcome equalRecords = new Outcome(Rcode.NOERROR, List.of(a("other").first()), List.of(), null, false);

    validated.remember(name("alias"), Type.A, chain, secure());
    validated.remember(name("other"), Type.A, equalRecords, secure());

    assertThat(validated.judgedAnswer(name("alias"), Type.A)).as("two RRsets: no one entry's list")
        .isSameAs(chain.answer());
    assertThat(validated.judgedAnswer(name("other"), Type.A)).as("equal records, not the very ones held")
        .isSameAs(equalRecords.answer());
  }

  @Test
  void countsEachFailureKeptAndNoneOnceEachIsReplacedOrForgotten() throws Exception {
    validated.remember(name("a"), Type.A, cached("a"), bogus());
    validated.remember(name("b"), Type.A, cached("b"), bogus());
    validated.remember(name("c"), Type.A, cached("c"), secure());
    assertThat(validated.failuresCounted()).isEqualTo(2);

    validated.remember(name("a"), Type.A, answer("a"), bogus());
    assertThat(validated.failuresCounted()).as("a failure replacing a failure").isEqualTo(2);
    validated.remember(name("a"), Type.A, answer("a"), secure());
    assertThat(validated.failuresCounted()).as("replaced by a secure verdict").isEqualTo(1);
    validated.forget(name("b"));

    assertThat(validated.failuresCounted()).as("forgotten").isZero();
    assertThat(validated.expiredFailure(name("b"), Type.A)).isEmpty();
  }

  @Test
  void countsNoFailureAfterAFlushAndEachFailureMadeAfterIt() throws Exception {
    validated.remember(name("a"), Type.A, cached("a"), bogus());
    validated.remember(name("b"), Type.A, cached("b"), secure());

    validated.forgetAll();
    assertThat(validated.failuresCounted()).isZero();
    validated.remember(name("c"), Type.A, cached("c"), bogus());

    assertThat(validated.failuresCounted()).isEqualTo(1);
  }

  private Outcome cached(String label) throws Exception {
    cache.putPositive(a(label), CacheRank.ANSWER, Name.root);
    return answer(label);
  }

  private static Validation bogus() {
    return new Validation(Verdict.bogus("test"), List.of());
  }

  private Outcome cachedAndJudged(String label) throws Exception {
    cache.putPositive(a(label), CacheRank.ANSWER, Name.root);
    Outcome outcome = answer(label);
    validated.remember(name(label), Type.A, outcome, secure());
    return outcome;
  }

  private Outcome answer(String label) throws Exception {
    return new Outcome(Rcode.NOERROR, cache.positive(name(label), Type.A, CacheRank.ANSWER).records(now.get()),
        List.of(), null, true);
  }

  private static Validation secure() {
    return new Validation(Verdict.secure("test"), List.of());
  }

  private static RRset a(String label) throws Exception {
    return new RRset(new ARecord(name(label), DClass.IN, 300, InetAddress.getByName("127.53.0.80")));
  }

  private static Name name(String label) {
    return Name.fromConstantString(label + ".example.org.");
  }
}
