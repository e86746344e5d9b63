package dev.dnslab.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A cached RRset keeps its records as two lists, not dnsjava's RRset, and serves them as before. */
class PositiveEntryTest {
  private static final Name ZONE = Name.fromConstantString("example.org.");
  private static final Name WWW = Name.fromConstantString("www.example.org.");

  private final AtomicLong now = new AtomicLong(1000);

  @Test
  void servesTheStoredRecordsThemselvesInTheSecondTheyCameIn() throws Exception {
    RRset rrset = signedA(WWW, 300);
    CacheEntry.Positive entry = stored(cache(TtlLimits.DEFAULT), rrset, List.of());

    // Every TTL is still the one the records came with: the counted-down copies would be the records.
    assertThat(entry.records(now.get())).isSameAs(entry.records());
    assertThat(entry.records(now.get())).containsExactlyElementsOf(rrset.rrs(false));
    assertThat(entry.records(now.get()).get(0)).isSameAs(rrset.first());
    assertThat(entry.signatures(now.get())).hasSize(1);
    assertThat(entry.signatures(now.get()).get(0)).isSameAs(rrset.sigs().get(0));
  }

  @Test
  void countsTheTtlDownOnCopiesMadeOncePerSecond() throws Exception {
    CacheEntry.Positive entry = stored(cache(TtlLimits.DEFAULT), signedA(WWW, 300), List.of());

    now.addAndGet(1);

    List<Record> records = entry.records(now.get());
    assertThat(records.get(0).getTTL()).isEqualTo(299);
    assertThat(entry.signatures(now.get()).get(0).getTTL()).isEqualTo(299);
    assertThat(entry.records().get(0).getTTL()).as("the stored record untouched").isEqualTo(300);
    assertThat(entry.records(now.get())).as("built once in this second").isSameAs(records);
  }

  @Test
  void servesCopiesAtOnceWhenTheCacheCappedTheTtl() throws Exception {
    // A cache-max-ttl (TtlLimits, as Unbound's): the entry lives 100 s although the records say 300 s, so
    // even in the second they came in they are served with 100, never with what they say.
    TtlLimits capped = new TtlLimits(0, 100, TtlLimits.DEFAULT_MAX_NEGATIVE_TTL, TtlLimits.DEFAULT_FAILURE_TTL);
    CacheEntry.Positive entry = stored(cache(capped), signedA(WWW, 300), List.of());

    assertThat(entry.records(now.get()).get(0).getTTL()).isEqualTo(100);
    assertThat(entry.signatures(now.get()).get(0).getTTL()).isEqualTo(100);
  }

  @Test
  void servesProofsOfAnotherTtlWithTheEntrysTtl() throws Exception {
    CacheEntry.Positive entry = stored(cache(TtlLimits.DEFAULT), signedA(WWW, 300), List.of(nsec3(3600)));

    assertThat(entry.proofs(now.get()).get(0).getTTL()).isEqualTo(300);
    assertThat(entry.records(now.get()).get(0).getTTL()).isEqualTo(300);
  }

  @Test
  void keepsTheRecordsAndSignaturesOfTheRrsetItWasGiven() throws Exception {
    RRset given = signedA(WWW, 300);
    given.addRR(new ARecord(WWW, DClass.IN, 300, InetAddress.getByName("127.53.0.81")));
    CacheEntry.Positive entry = stored(cache(TtlLimits.DEFAULT), given, List.of());

    assertThat(entry.records()).containsExactlyElementsOf(given.rrs(false));
    assertThat(entry.signatures(now.get())).containsExactlyElementsOf(given.sigs());
    assertThat(entry.records()).extracting(Record::getTTL).containsOnly(300L);
    assertThat(entry.owner()).isEqualTo(WWW);
    assertThat(entry.type()).isEqualTo(Type.A);
  }

  /**
   * The memory bound is worth its name only if the estimate is not below what the entries hold:
   * A records parsed from replies' wire form (as the recursor gets them), with and without an
   * RRSIG, each served in a later second (so each holds its counted-down copies too), measured as
   * the heap in use after a full GC before and after.
   */
  @Test
  void estimateIsNoLessThanTheHeapTheEntriesHold() throws Exception {
    for (boolean signed : new boolean[] {false, true}) {
      int names = 20_000;
      RecordCache cache = cache(TtlLimits.DEFAULT);
      List<byte[]> replies = new ArrayList<>(names);
      for (int i = 0; i < names; i++) {
        Message reply = new Message();
        RRset rrset = signed ? signedA(name(i), 300) : new RRset(a(name(i), 300));
        rrset.rrs(false).forEach(record -> reply.addRecord(record, Section.ANSWER));
        rrset.sigs().forEach(record -> reply.addRecord(record, Section.ANSWER));
        replies.add(reply.toWire());
      }
      long before = heapInUse();
      for (int i = 0; i < names; i++) {
        Message reply = new Message(replies.set(i, null));
        cache.putPositive(reply.getSectionRRsets(Section.ANSWER).get(0), CacheRank.ANSWER, ZONE);
      }
      now.addAndGet(1);
      for (int i = 0; i < names; i++) {
        CacheEntry.Positive entry = cache.positive(name(i), Type.A, CacheRank.ANSWER);
        entry.records(now.get());
        entry.signatures(now.get());
      }
      long held = heapInUse() - before;

      assertThat(cache.size()).isEqualTo(names);
      assertThat(held).as("signed: %s, estimated %s", signed, cache.retainedBytes())
          .isPositive()
          .isLessThanOrEqualTo(cache.retainedBytes());
    }
  }

  private static long heapInUse() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    // The least of a few full GCs: a collection may leave some garbage behind.
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }

  /** The entry {@code cache} made of {@code rrset} and its {@code proofs}, an answer of {@link #ZONE}. */
  private static CacheEntry.Positive stored(RecordCache cache, RRset rrset, List<Record> proofs) {
    cache.putPositive(rrset, CacheRank.ANSWER, ZONE, proofs);
    return cache.positive(rrset.getName(), rrset.getType(), CacheRank.ANSWER);
  }

  private RecordCache cache(TtlLimits limits) {
    return new RecordCache(1_000_000, limits, now::get, new CacheMetrics(new SimpleMeterRegistry(), "recursor"));
  }

  private static Name name(int i) throws Exception {
    return Name.fromString("dnslab-1-" + i + ".miss.example.org.");
  }

  private static ARecord a(Name owner, long ttl) throws Exception {
    return new ARecord(owner, DClass.IN, ttl, InetAddress.getByName("127.53.0.80"));
  }

  private static RRset signedA(Name owner, long ttl) throws Exception {
    RRset rrset = new RRset(a(owner, ttl));
    byte[] signature = new byte[64]; // ECDSA P-256 (RFC 6605 4)
    signature[0] = 1;
    rrset.addRR(new RRSIGRecord(owner, DClass.IN, ttl, Type.A, 13, ttl, new Date(2_000_000_000_000L),
        new Date(1_700_000_000_000L), 12345, ZONE, signature));
    return rrset;
  }

  private static Record nsec3(long ttl) throws Exception {
    return new NSEC3Record(Name.fromConstantString("abcd.example.org."), DClass.IN, ttl, NSEC3Record.Digest.SHA1,
        0, 0, null, new byte[20], new int[] {Type.A});
  }
}
