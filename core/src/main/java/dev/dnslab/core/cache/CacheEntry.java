package dev.dnslab.core.cache;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/** One thing the cache remembers, with the zone that was authoritative for it (its bailiwick). */
public sealed interface CacheEntry {
  Name owner();

  int type();

  /** The zone whose servers gave us this data; the cache never serves it for anything else. */
  Name zone();

  long expiresAt();

  default long remainingTtl(long now) {
    return Math.max(0, expiresAt() - now);
  }

  default boolean isFresh(long now) {
    return expiresAt() > now;
  }

  /**
   * A positive RRset. The records with their counted-down TTL are built at most once per second,
   * so the cache-hit path does not rebuild them for every client.
   */
  final class Positive implements CacheEntry {
    private final RRset rrset;
    private final CacheRank rank;
    private final Name zone;
    private final long expiresAt;
    private volatile Rendered rendered;

    private record Rendered(long now, List<Record> records) {}

    public Positive(RRset rrset, CacheRank rank, Name zone, long expiresAt) {
      this.rrset = rrset;
      this.rank = rank;
      this.zone = zone;
      this.expiresAt = expiresAt;
    }

    public RRset rrset() {
      return rrset;
    }

    public CacheRank rank() {
      return rank;
    }

    @Override
    public Name zone() {
      return zone;
    }

    @Override
    public long expiresAt() {
      return expiresAt;
    }

    @Override
    public Name owner() {
      return rrset.getName();
    }

    @Override
    public int type() {
      return rrset.getType();
    }

    /** The records with their TTL counted down to what is left (RFC 1035 3.2.1). */
    public List<Record> records(long now) {
      Rendered current = rendered;
      if (current == null || current.now() != now) {
        long ttl = remainingTtl(now);
        current = new Rendered(now, rrset.rrs(false).stream().map(r -> Ttls.withTtl(r, ttl)).toList());
        rendered = current;
      }
      return current.records();
    }
  }

  /**
   * A negative answer (RFC 2308): NXDOMAIN covers every type at the name, NODATA one type. The SOA
   * is kept to go into the authority section of answers served from the cache (RFC 2308 5).
   */
  record Negative(Name owner, int type, boolean nxdomain, SOARecord soa, Name zone, long expiresAt)
      implements CacheEntry {
    public SOARecord soa(long now) {
      return (SOARecord) Ttls.withTtl(soa, remainingTtl(now));
    }
  }

  /** A failed resolution (RFC 9520): SERVFAIL until it expires, so a broken zone is not hammered. */
  record Failure(Name owner, int type, Name zone, String reason, long expiresAt) implements CacheEntry {}
}
