package dev.dnslab.recursor.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.cache.TtlLimits;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.zone.RootHints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/** The delegation the iterator starts from when the cache already holds a cut's NS set. */
class CachedDelegationTest {
  private static final Name NS1 = Name.fromConstantString("ns1.example.org.");
  private static final Name NS2 = Name.fromConstantString("ns2.example.org.");
  private static final InetAddress FIRST = loopback(13);
  private static final InetAddress SECOND = loopback(14);
  private final AtomicLong seconds = new AtomicLong(1_000);
  private final RecordCache records = new RecordCache(1_000, TtlLimits.DEFAULT, seconds::get,
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

  @Test
  void namesThePointOfEveryLaterResolutionInItsOwnQuestionsLetterCase() throws Exception {
    cacheReferral(Name.fromString("example.org."), Name.fromString("ns.example.org."),
        InetAddress.getByName("127.53.0.13"));
    cache.closestDelegation(Name.fromString("a.example.org."), Type.A, true);

    DelegationPoint later = cache.closestDelegation(Name.fromString("B.ExAmple.ORG."), Type.A, true);

    assertThat(later.zone().toString()).isEqualTo("ExAmple.ORG.");
  }

  @Test
  void seesAnAddressCachedSinceTheLastResolutionForAServerThatHadNone() throws Exception {
    Name glueless = Name.fromString("ns.example.net.");
    cacheNameServers(NS1, glueless);
    cacheAddress(NS1, 300, FIRST, CacheRank.GLUE);
    assertThat(untriedAddressesBelowTheCutOf("a.example.org.")).containsExactly(FIRST);

    cacheAddress(glueless, 300, SECOND, CacheRank.ANSWER);

    assertThat(untriedAddressesBelowTheCutOf("b.example.org.")).containsExactly(FIRST, SECOND);
  }

  @Test
  void leavesOutAServerAddressWhoseTtlRanOutWhileTheNsSetLivesOn() throws Exception {
    cacheNameServers(NS1, NS2);
    cacheAddress(NS1, 10, FIRST, CacheRank.GLUE);
    cacheAddress(NS2, 300, SECOND, CacheRank.GLUE);
    assertThat(untriedAddressesBelowTheCutOf("a.example.org.")).containsExactly(FIRST, SECOND);

    seconds.addAndGet(10); // RFC 1035 3.2.1: the first A set's TTL is over, the NS set's is not

    assertThat(untriedAddressesBelowTheCutOf("b.example.org.")).containsExactly(SECOND);
  }

  @Test
  void forgetsAServerAddressFlushedSinceTheLastResolution() throws Exception {
    Name server = Name.fromString("ns.example.org.");
    cacheReferral(Name.fromString("example.org."), server, InetAddress.getByName("127.53.0.13"));
    cache.closestDelegation(Name.fromString("a.example.org."), Type.A, true);

    records.flush(server);

    // No address left for the cut's only server: the walk starts at the root again.
    assertThat(cache.closestDelegation(Name.fromString("b.example.org."), Type.A, true).zone()).isEqualTo(Name.root);
  }

  @Test
  void followsANewNsSetForTheCut() throws Exception {
    Name zone = Name.fromString("example.org.");
    cacheReferral(zone, Name.fromString("ns.example.org."), InetAddress.getByName("127.53.0.13"));
    cache.closestDelegation(Name.fromString("a.example.org."), Type.A, true);

    // RFC 2181 5.4.1: the zone's own NS set, from its authoritative answer, replaces the referral's.
    Name renamed = Name.fromString("ns9.example.org.");
    records.putPositive(new RRset(new NSRecord(zone, DClass.IN, 300, renamed)), CacheRank.ANSWER, zone);
    cacheGlue(renamed, InetAddress.getByName("127.53.0.19"));

    DelegationPoint later = cache.closestDelegation(Name.fromString("b.example.org."), Type.A, true);
    assertThat(later.nameServerNames()).containsExactly(renamed);
    assertThat(later.untriedAddresses()).containsExactly(InetAddress.getByName("127.53.0.19"));
  }

  /** What a referral from the root leaves in the cache: the cut's NS set and its server's A glue. */
  private void cacheReferral(Name zone, Name server, InetAddress address) {
    records.putPositive(new RRset(new NSRecord(zone, DClass.IN, 300, server)), CacheRank.REFERRAL, Name.root);
    cacheGlue(server, address);
  }

  /** A referral's NS set for example.org naming {@code servers}, without glue. */
  private void cacheNameServers(Name... servers) {
    RRset set = new RRset();
    for (Name server : servers) {
      set.addRR(new NSRecord(Name.fromConstantString("example.org."), DClass.IN, 300, server));
    }
    records.putPositive(set, CacheRank.REFERRAL, Name.root);
  }

  private void cacheAddress(Name server, long ttl, InetAddress address, CacheRank rank) {
    records.putPositive(new RRset(new ARecord(server, DClass.IN, ttl, address)), rank, Name.root);
  }

  /** 127.53.0.{@code host}, an address of the lab's plan. */
  private static InetAddress loopback(int host) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 53, 0, (byte) host});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e); // cannot happen: four bytes are an IPv4 address
    }
  }

  private List<InetAddress> untriedAddressesBelowTheCutOf(String name) throws Exception {
    return cache.closestDelegation(Name.fromString(name), Type.A, true).untriedAddresses();
  }

  private void cacheGlue(Name server, InetAddress address) {
    records.putPositive(new RRset(new ARecord(server, DClass.IN, 300, address)), CacheRank.GLUE, Name.root);
  }
}
