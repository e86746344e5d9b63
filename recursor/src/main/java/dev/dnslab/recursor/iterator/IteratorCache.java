package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheEntry;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.CachedAnswer;
import dev.dnslab.core.cache.RRsets;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.wire.AncestorNames;
import dev.dnslab.core.zone.RootHints;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What the iterator reads from and writes to the {@link RecordCache}: answers, delegations and
 * glue, negative answers and failures, each filed under the zone whose servers said it.
 */
final class IteratorCache {
  private final RecordCache cache;
  private final RootHints hints;
  private final ServerAddresses addresses = new ServerAddresses();
  // The zones a walk looks at: the same few for every name of a flood below one zone.
  private final AncestorNames ancestors = new AncestorNames();
  private final KeptDelegations delegations;

  IteratorCache(RecordCache cache, RootHints hints) {
    this.cache = requireNonNull(cache, "cache");
    this.hints = requireNonNull(hints, "hints");
    this.delegations = new KeptDelegations(cache.changes());
  }

  RecordCache records() {
    return cache;
  }

  /** RFC 1034 5.3.3 step 1: what the cache alone answers, CNAMEs it holds followed. */
  CachedAnswer answer(Name name, int type, int maxLinks, Set<Name> seen) {
    return CachedAnswer.lookUp(cache, name, type, maxLinks, seen);
  }

  /**
   * The deepest zone cut above {@code name} the cache knows with at least one server address, or
   * the root hints (RFC 1034 5.3.3 step 2: "find the best servers to ask"). For a DS question the
   * cut must be strictly above {@code name}: the DS RRset lives in the parent zone, and the child's
   * servers would answer NODATA from their apex (RFC 4035 3.1.4.1 and 4.2).
   */
  DelegationPoint closestDelegation(Name name, int type, boolean useCache) {
    if (useCache) {
      // The root too: its NS set is cached by priming (RFC 9609), and used instead of the hints.
      int first = type == Type.DS && name.labels() > 1 ? 1 : 0;
      for (int strip = first; strip < name.labels(); strip++) {
        Name zone = ancestors.strip(name, strip);
        CacheEntry.Positive ns = cache.positive(zone, Type.NS, CacheRank.REFERRAL);
        if (ns == null) {
          continue;
        }
        DelegationPoint dp = fromCache(zone, ns);
        if (dp.hasAddresses()) {
          return dp;
        }
      }
    }
    return hintedRoot();
  }

  /**
   * The delegation point of the cut at {@code zone} whose NS set the cache holds as {@code ns}, with
   * the addresses it holds for those servers: the one kept since the last miss below the cut when
   * nothing under it changed, else built now and kept.
   */
  private DelegationPoint fromCache(Name zone, CacheEntry.Positive ns) {
    // Named as asked, not after the cached NS set's owner: that owner keeps the letter case
    // the referral gave it (0x20-randomised, draft-vixie-dnsext-dns0x20), and this name is the
    // zone each step of the trace shows and every answer cached from this cut is filed under.
    DelegationPoint kept = delegations.reuse(zone, ns, cache.now());
    if (kept != null) {
      return kept;
    }
    long started = cache.changes().settled();
    DelegationPoint dp = new DelegationPoint(zone);
    long expiresAt = Long.MAX_VALUE;
    // By index: the unmodifiable view's iterator, and the list's own beneath it, were made per miss.
    List<Record> servers = ns.records();
    for (int i = 0, n = servers.size(); i < n; i++) {
      Name target = ((NSRecord) servers.get(i)).getTarget();
      dp.addNameServer(target);
      expiresAt = Math.min(expiresAt, addCachedAddresses(dp, target));
    }
    return delegations.keep(ns, dp, expiresAt, started);
  }

  /** The root's servers as the hints give them (RFC 1034 5.3.2 SBELT). */
  DelegationPoint hintedRoot() {
    return DelegationPoint.root(hints);
  }

  /**
   * The answer's RRsets (CNAMEs and data), learned from the servers of {@code zone}, each with the
   * RRSIGs over it (RFC 4035 4.5: cached together, expiring together) and the reply's wildcard
   * proofs, which the validator needs again when the answer is served from the cache. A CNAME made
   * from a DNAME of the chain is left out: the DNAME is cached and answers for it (RFC 6672 3.4),
   * so a later answer from the cache shows the DNAME too, as one from the authority does.
   */
  void storeAnswer(Classification answer, Name zone) {
    List<Record> records = DnameRedirect.withoutSynthesisedCnames(answer.chain()); // a list of its own
    records.addAll(answer.signatures());
    for (RRset set : RRsets.group(records)) {
      cache.putPositive(set, CacheRank.ANSWER, zone, answer.proofs());
    }
  }

  /**
   * RFC 2308 5: a negative answer, its TTL from the SOA, with its DNSSEC proofs (RFC 4035 4.5);
   * without an SOA nothing is stored.
   */
  void storeNegative(Classification.Negative negative, int type, Name zone) {
    if (negative.soa() != null) {
      boolean nxdomain = negative instanceof Classification.NxDomain;
      cache.putNegative(negative.name(), type, nxdomain, negative.soa(), negative.proofs(), zone);
    }
  }

  /**
   * RFC 9520 3.2: remember the failure, with the RFC 8914 code that explained it, so that
   * retrying clients do not hammer a broken zone.
   */
  void storeFailure(Name name, int type, Name zone, String reason, int edeCode) {
    cache.putFailure(name, type, zone, reason, edeCode);
  }

  /**
   * RFC 1034 5.3.3 step 4b: caches the referral's NS set and glue under the {@code parent}'s
   * bailiwick and returns the child zone's delegation point, with the glue's addresses and, when
   * the cache may be read, the addresses it already knows for those name servers.
   */
  DelegationPoint storeReferral(Classification.Referral referral, Name parent, boolean useCache) {
    RRset nameServers = new RRset();
    referral.nameServers().forEach(nameServers::addRR);
    cache.putPositive(nameServers, CacheRank.REFERRAL, parent);
    for (RRset ds : RRsets.group(referral.delegationProof())) {
      if (ds.getType() == Type.DS && ds.getName().equals(referral.zone())) {
        // RFC 4035 3.1.4: the parent's DS is its own authoritative data, signed by the parent, even
        // in a referral; cached as an answer (with its RRSIGs) so the validator's DS question for
        // this cut is answered from the cache.
        cache.putPositive(ds, CacheRank.ANSWER, parent);
      }
    }
    DelegationPoint child = new DelegationPoint(referral.zone());
    for (Record record : referral.nameServers()) {
      child.addNameServer(((NSRecord) record).getTarget());
    }
    for (RRset glue : RRsets.group(referral.glue())) {
      // Glue is in the parent's bailiwick (the scrubber checked): good enough to reach the child.
      cache.putPositive(glue, CacheRank.GLUE, parent);
      // A and AAAA glue alike (RFC 3596); which family is asked is the ServerSelector's choice.
      glue.rrs(false).forEach(r -> {
        if (r instanceof ARecord a) {
          child.addAddress(r.getName(), a.getAddress());
        } else if (r instanceof AAAARecord aaaa) {
          child.addAddress(r.getName(), aaaa.getAddress());
        }
      });
    }
    if (useCache) {
      for (Name target : child.nameServerNames()) {
        addCachedAddresses(child, target);
      }
    }
    return child;
  }

  /** Adds the addresses the cache holds for {@code nameServer}; returns when the first of them expires. */
  private long addCachedAddresses(DelegationPoint dp, Name nameServer) {
    return Math.min(addAddresses(dp, nameServer, cache.positive(nameServer, Type.A, CacheRank.GLUE)),
        addAddresses(dp, nameServer, cache.positive(nameServer, Type.AAAA, CacheRank.GLUE)));
  }

  private long addAddresses(DelegationPoint dp, Name nameServer, CacheEntry.Positive addressRecords) {
    if (addressRecords == null) {
      return Long.MAX_VALUE;
    }
    for (InetAddress address : addresses.of(addressRecords)) {
      dp.addAddress(nameServer, address);
    }
    return addressRecords.expiresAt();
  }
}
