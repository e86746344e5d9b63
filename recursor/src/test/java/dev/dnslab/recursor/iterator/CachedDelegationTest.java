package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cache.CacheClock;
import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.zone.RootHints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/** The delegation the iterator starts from when the cache already holds a cut's NS set. */
class CachedDelegationTest {
  private final RecordCache records = new RecordCache(1_000, TtlLimits.DEFAULT, CacheClock.MONOTONIC,
      new CacheMetrics(new SimpleMeterRegistry(), "recursor"));
  private final IteratorCache cache = new IteratorCache(records, RootHints.lab(AddressPlan.EMBEDDED));

  @Test
  void isNamedInTheLetterCaseOfTheQuestionNotOfTheReferralThatCachedIt() throws Exception {
    // A 0x20-randomised referral leaves its case on the cached NS set's owner.
    Name cachedOwner = Name.fromString("ExAmPlE.oRg.");
    Name server = Name.fromString("ns.example.org.");
    records.putPositive(new RRset(new NSRecord(cachedOwner, DClass.IN, 300, server)), CacheRank.REFERRAL, Name.root);
    records.putPositive(new RRset(new ARecord(server, DClass.IN, 300, InetAddress.getByName("127.53.0.13"))),
        CacheRank.GLUE, Name.root);

    DelegationPoint found = cache.closestDelegation(Name.fromString("www.example.org."), Type.A, true);

    // The trace shows it as each step's zone.
    assertThat(found.zone().toString()).isEqualTo("example.org.");
  }

  @Test
  void seesAGlueAddressReplacedInTheCacheSinceTheLastResolution() throws Exception {
    Name server = Name.fromString("ns.example.org.");
    cacheReferral(Name.fromString("example.org."), server, InetAddress.getByName("127.53.0.13"));
    assertThat(cache.closestDelegation(Name.fromString("a.example.org."), Type.A, true).untriedAddresses())
        .containsExactly(InetAddress.getByName("127.53.0.13"));

    cacheGlue(server, InetAddress.getByName("127.53.0.14"));

    assertThat(cache.closestDelegation(Name.fromString("b.example.org."), Type.A, true).untriedAddresses())
        .containsExactly(InetAddress.getByName("127.53.0.14"));
  }

  @Test
  void givesEachResolutionItsOwnPointWithNothingTried() throws Exception {
    Name server = Name.fromString("ns.example.org.");
    InetAddress address = InetAddress.getByName("127.53.0.13");
    cacheReferral(Name.fromString("example.org."), server, address);
    DelegationPoint first = cache.closestDelegation(Name.fromString("a.example.org."), Type.A, true);
    first.markTried(address);
    first.addAddress(Name.fromString("ns2.example.org."), InetAddress.getByName("127.53.0.15"));

    DelegationPoint second = cache.closestDelegation(Name.fromString("b.example.org."), Type.A, true);

    assertThat(first.untriedAddresses()).containsExactly(InetAddress.getByName("127.53.0.15"));
    assertThat(second.untriedAddresses()).containsExactly(address);
    assertThat(second.nameServerNames()).containsExactly(server);
  }

  /** What a referral from the root leaves in the cache: the cut's NS set and its server's A glue. */
  private void cacheReferral(Name zone, Name server, InetAddress address) {
    records.putPositive(new RRset(new NSRecord(zone, DClass.IN, 300, server)), CacheRank.REFERRAL, Name.root);
    cacheGlue(server, address);
  }

  private void cacheGlue(Name server, InetAddress address) {
    records.putPositive(new RRset(new ARecord(server, DClass.IN, 300, address)), CacheRank.GLUE, Name.root);
  }
}
