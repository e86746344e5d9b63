package dev.dnslab.core.cache;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.dnslab.core.zone.DnameSynthesis;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * What the cache alone says about a question (RFC 1034 5.3.3 step 1), after following the CNAMEs
 * it holds: one record per outcome, so a caller's switch handles every one. The recursor and the
 * router both answer from the cache through {@link #lookUp}.
 */
public sealed interface CachedAnswer {
  /** The CNAME records followed from the asked name, in order (then the data, for {@link Data}). */
  List<Record> chain();

  /**
   * The data asked for, TTLs counted down: CNAMEs first, then the RRset; {@code signatures} are
   * the RRSIGs cached with those RRsets (RFC 4035 4.5) and {@code proofs} the wildcard proofs
   * cached with them (RFC 4035 3.1.3.3), both empty when there were none.
   */
  record Data(List<Record> chain, List<Record> signatures, List<Record> proofs) implements CachedAnswer {
    public Data(List<Record> chain) {
      this(chain, List.of(), List.of());
    }
  }

  /**
   * A cached NXDOMAIN or NODATA for {@code name}, the end of the chain (RFC 2308 5); {@code
   * signatures} cover the chain, {@code proofs} are the SOA's RRSIGs and the NSEC/NSEC3 records
   * (with their RRSIGs) cached with the denial.
   */
  record Negative(List<Record> chain, Name name, boolean nxdomain, SOARecord soa, List<Record> signatures,
      List<Record> proofs) implements CachedAnswer {
    public Negative(List<Record> chain, Name name, boolean nxdomain, SOARecord soa) {
      this(chain, name, nxdomain, soa, List.of(), List.of());
    }
  }

  /**
   * A cached failure for {@code name} (RFC 9520 3.2): answer SERVFAIL without asking again, with
   * the RFC 8914 EDE code the first SERVFAIL carried (-1: none).
   */
  record Failed(List<Record> chain, Name name, String reason, int edeCode) implements CachedAnswer {
    public Failed(List<Record> chain, Name name, String reason) {
      this(chain, name, reason, -1);
    }
  }

  /**
   * Nothing more is cached: resolution goes on at {@code name}, the end of the chain (the asked
   * name when the chain is empty). The walk also stops here when the chain reaches its length bound
   * or comes back to a name already seen, so the caller applies its own CNAME limits.
   */
  record Miss(List<Record> chain, Name name, List<Record> signatures, List<Record> proofs) implements CachedAnswer {
    public Miss(List<Record> chain, Name name) {
      this(chain, name, List.of(), List.of());
    }
  }

  /**
   * Answers {@code name}/{@code type} from fresh {@link CacheRank#ANSWER} data only. For each name
   * on the chain: a cached failure, then the data, then a CNAME to follow (unless CNAME was asked),
   * then a negative answer, then a DNAME above the name to follow, in that order (RFC 1034 4.3.2
   * step 3, RFC 6672 3.4).
   *
   * @param maxLinks the most CNAMEs followed; the walk ends with a {@link Miss} at the last target
   * @param seen names already resolved by the caller: a CNAME back to one ends the walk
   */
  static CachedAnswer lookUp(RecordCache cache, Name name, int type, int maxLinks, Set<Name> seen) {
    return walk(cache, name, type, maxLinks, seen, false);
  }

  /**
   * Answers {@code name}/{@code type} for serve-stale (RFC 8767 4), when no authority answered:
   * like {@link #lookUp}, but each step takes data expired less than the cache's stale window ago
   * as well as fresh data, and skips cached failures (they are why a stale answer is wanted). Every
   * record comes with {@code staleTtl} (RFC 8767 4: 30 s is recommended). {@link Failed} is never
   * returned; a {@link Miss} means there is nothing to serve.
   */
  static CachedAnswer lookUpStale(RecordCache cache, Name name, int type, int maxLinks, long staleTtl) {
    return withTtl(walk(cache, name, type, maxLinks, Set.of(), true), staleTtl);
  }

  private static CachedAnswer walk(RecordCache cache, Name name, int type, int maxLinks, Set<Name> seen,
      boolean stale) {
    long now = cache.now();
    // The client cache-hit path: no CNAME, so nothing is allocated beyond the answer itself.
    List<Record> chain = List.of();
    List<Record> signatures = List.of();
    List<Record> proofs = List.of();
    Set<Name> passed = Set.of();
    Name current = name;
    while (true) {
      CacheEntry.Failure failed = stale ? null : cache.failure(current, type);
      if (failed != null) {
        return new Failed(List.copyOf(chain), current, failed.reason(), failed.edeCode());
      }
      // One look-up at the name and type for the RRset and, when none, a NODATA (both fresh only).
      CacheEntry heldAtType = stale ? null : cache.held(current, type);
      CacheEntry.Positive data = stale
          ? cache.stalePositive(current, type, CacheRank.ANSWER)
          : cache.positive(heldAtType, CacheRank.ANSWER);
      if (data != null) {
        if (chain.isEmpty()) {
          return new Data(data.records(now), data.signatures(now), data.proofs(now));
        }
        chain.addAll(data.records(now));
        signatures.addAll(data.signatures(now));
        proofs.addAll(data.proofs(now));
        return new Data(List.copyOf(chain), List.copyOf(signatures), List.copyOf(proofs));
      }
      CacheEntry.Positive alias = type == Type.CNAME ? null : positive(cache, current, Type.CNAME, stale);
      if (alias != null) {
        if (chain.isEmpty()) {
          chain = new ArrayList<>();
          signatures = new ArrayList<>();
          proofs = new ArrayList<>();
          passed = new HashSet<>();
        }
        chain.addAll(alias.records(now));
        signatures.addAll(alias.signatures(now));
        proofs.addAll(alias.proofs(now));
        passed.add(current);
        current = ((CNAMERecord) alias.records().get(0)).getTarget();
        if (passed.size() >= maxLinks || passed.contains(current) || seen.contains(current)) {
          return new Miss(List.copyOf(chain), current, List.copyOf(signatures), List.copyOf(proofs));
        }
        continue;
      }
      CacheEntry.Negative negative = stale ? cache.staleNegative(current, type) : cache.negative(current, heldAtType);
      if (negative != null) {
        if (chain.isEmpty()) {
          // The client cache-hit path again: the entry's own rendered lists, nothing copied.
          return new Negative(List.of(), current, negative.nxdomain(), negative.soa(now), List.of(),
              negative.proofs(now));
        }
        List<Record> denial = new ArrayList<>(proofs);
        denial.addAll(negative.proofs(now));
        return new Negative(List.copyOf(chain), current, negative.nxdomain(), negative.soa(now),
            List.copyOf(signatures), List.copyOf(denial));
      }
      CachedDname dnameHit = dnameRedirect(cache, current, now, stale);
      if (dnameHit != null) {
        List<Record> redirect = dnameHit.records();
        if (chain.isEmpty()) {
          chain = new ArrayList<>();
          signatures = new ArrayList<>();
          proofs = new ArrayList<>();
          passed = new HashSet<>();
        }
        chain.addAll(redirect);
        // The DNAME's RRSIGs come with it: a validator checks the DNAME and accepts the CNAME
        // synthesised from it unsigned (RFC 6672 5.3.1).
        signatures.addAll(dnameHit.signatures());
        if (type == Type.CNAME) {
          return new Data(List.copyOf(chain), List.copyOf(signatures), List.copyOf(proofs)); // the synthesised CNAME is the data asked for
        }
        passed.add(current);
        current = ((CNAMERecord) redirect.get(redirect.size() - 1)).getTarget();
        if (passed.size() >= maxLinks || passed.contains(current) || seen.contains(current)) {
          return new Miss(List.copyOf(chain), current, List.copyOf(signatures), List.copyOf(proofs));
        }
        continue;
      }
      return new Miss(List.copyOf(chain), current, List.copyOf(signatures), List.copyOf(proofs));
    }
  }

  /**
   * RFC 6672 3.4: a cached DNAME above {@code name} answers for every name below its owner: the
   * DNAME (TTL counted down) and the CNAME synthesised from it (the same TTL, 3.1), or null when no
   * cached DNAME applies or the substitute would be too long (2.2: the authority's YXDOMAIN is then
   * the answer to fetch). Looked for only after everything else missed, so hits pay nothing, and
   * only while the cache holds a DNAME at all, so a miss does not look up every ancestor's (a
   * name and a look-up each: ~720 of the ~21,700 bytes a miss allocated under bench/recursor/run.sh
   * miss-unsigned).
   */
  private static CachedDname dnameRedirect(RecordCache cache, Name name, long now, boolean stale) {
    if (!cache.holdsDnames()) {
      return null;
    }
    for (int strip = 1; strip < name.labels(); strip++) {
      CacheEntry.Positive dname = positive(cache, new Name(name, strip), Type.DNAME, stale);
      if (dname == null) {
        continue;
      }
      List<Record> records = new ArrayList<>(dname.records(now));
      DNAMERecord first = (DNAMERecord) records.get(0);
      Name target = DnameSynthesis.target(name, first);
      if (target == null) {
        return null;
      }
      records.add(new CNAMERecord(name, DClass.IN, first.getTTL(), target));
      return new CachedDname(records, dname.signatures(now));
    }
    return null;
  }

  private static CacheEntry.Positive positive(RecordCache cache, Name name, int type, boolean stale) {
    return stale ? cache.stalePositive(name, type, CacheRank.ANSWER) : cache.positive(name, type, CacheRank.ANSWER);
  }

  /** The answer with every record's TTL set to {@code ttl}. */
  private static CachedAnswer withTtl(CachedAnswer answer, long ttl) {
    if (answer instanceof Data data) {
      return new Data(withTtl(data.chain(), ttl), withTtl(data.signatures(), ttl), withTtl(data.proofs(), ttl));
    }
    if (answer instanceof Negative negative) {
      return new Negative(withTtl(negative.chain(), ttl), negative.name(), negative.nxdomain(),
          (SOARecord) Ttls.withTtl(negative.soa(), ttl), withTtl(negative.signatures(), ttl),
          withTtl(negative.proofs(), ttl));
    }
    return answer; // a Miss (or a Failed, which a stale walk never gives) has nothing to serve
  }

  private static List<Record> withTtl(List<Record> records, long ttl) {
    return records.stream().map(record -> Ttls.withTtl(record, ttl)).toList();
  }
}
