package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dnslab.core.cache.CacheClock;
import dev.dnslab.core.cache.CacheEntry;
import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.CachedAnswer;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.core.client.DnsQuestion;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.zone.RootHints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Arbitrary reply bytes from the com servers to the real question {@code www.google.com. A}, through
 * what the iterator does with every upstream reply: {@link DnsQuestion#parse}, {@link
 * BailiwickScrubber}, {@link ReplyClassifier}, then the cache write {@link Resolution} makes for
 * that classification. The invariants: nothing throws out of the pipeline; the cache holds only
 * class IN names at or below com., filed under com. (nothing out of bailiwick, RFC 5452 6); and
 * whatever the cache then answers for the question re-encodes as wire format dnsjava parses.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/dnslab/recursor/iterator/UpstreamReplyFuzzTestInputs}.
 * {@code JAZZER_FUZZ=1} (scripts/fuzz.sh) fuzzes.
 */
class UpstreamReplyFuzzTest {
  private static final Name ZONE = Name.fromConstantString("com.");
  private static final Name ASKED = Name.fromConstantString("www.google.com.");
  private static final RootHints HINTS = RootHints.lab(AddressPlan.EMBEDDED);

  @FuzzTest
  void cachesOnlyInBailiwickDataThatReencodes(byte[] reply) throws IOException {
    Message message = DnsQuestion.parse(reply);
    if (message == null) {
      return; // UpstreamClient ignores what does not parse, as if nothing had arrived
    }
    RecordCache records = new RecordCache(1_000, TtlLimits.DEFAULT, CacheClock.MONOTONIC,
        new CacheMetrics(new SimpleMeterRegistry(), "fuzz"));
    IteratorCache cache = new IteratorCache(records, HINTS);

    ScrubbedReply scrubbed = BailiwickScrubber.scrub(message, ZONE, ASKED);
    Classification kind = ReplyClassifier.classify(scrubbed, ASKED, Type.A, ZONE);
    store(cache, kind);

    for (CacheEntry entry : records.snapshot()) {
      assertThat(entry.owner().subdomain(ZONE)).as("%s is below %s", entry.owner(), ZONE).isTrue();
      assertThat(entry.zone()).as("bailiwick of %s", entry.owner()).isEqualTo(ZONE);
      if (entry instanceof CacheEntry.Positive positive) {
        for (Record record : positive.records(records.now())) {
          assertThat(record.getName()).isEqualTo(entry.owner());
          assertThat(record.getDClass()).as("class of %s", record).isEqualTo(DClass.IN);
        }
      }
    }
    CachedAnswer cached = CachedAnswer.lookUp(records, ASKED, Type.A, ResolutionLimits.MAX_RESTART_COUNT, Set.of());
    Message response = Message.newQuery(Record.newRecord(ASKED, Type.A, DClass.IN));
    cached.chain().forEach(r -> response.addRecord(r, Section.ANSWER));
    if (cached instanceof CachedAnswer.Negative negative) {
      response.addRecord(negative.soa(), Section.AUTHORITY);
    }
    Message reparsed = new Message(response.toWire(65535)); // throws if it is not wire format
    assertThat(reparsed.getSection(Section.ANSWER)).hasSameSizeAs(cached.chain());
  }

  /** The cache write {@link Resolution} makes for each kind of reply (keep, negative, followReferral). */
  private static void store(IteratorCache cache, Classification kind) {
    if (kind instanceof Classification.Answer || kind instanceof Classification.Cname) {
      cache.storeAnswer(kind, ZONE);
    } else if (kind instanceof Classification.Negative negative) {
      cache.storeAnswer(negative, ZONE);
      cache.storeNegative(negative, Type.A, ZONE);
    } else if (kind instanceof Classification.Referral referral) {
      DelegationPoint child = cache.storeReferral(referral, ZONE, true);
      assertThat(child.zone().subdomain(ZONE)).as("referral below %s", ZONE).isTrue();
      assertThat(child.nameServerNames()).isNotEmpty();
    }
    // A lame or thrown-away reply (Classification.Unusable) caches nothing.
  }
}
