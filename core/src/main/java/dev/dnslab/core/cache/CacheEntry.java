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

  /** The heap this entry keeps alive, estimated when it was made ({@link RetainedBytes}). */
  long retainedBytes();

  default long remainingTtl(long now) {
    return Math.max(0, expiresAt() - now);
  }

  default boolean isFresh(long now) {
    return expiresAt() > now;
  }

  /**
   * A positive RRset. The records, their RRSIGs and proofs with the counted-down TTL are built at
   * most once per second, so the cache-hit path does not rebuild them (nor re-encode a signature)
   * for every client, and a verdict kept on them can be checked by identity. In the second the
   * entry was stored, while every TTL is still the one the records came with, the stored lists are
   * served as they are: a flood of new names, each asked once and evicted within seconds, never
   * makes a served copy at all.
   *
   * <p>The records and RRSIGs are kept as two immutable lists, not as the {@link RRset} they came
   * in: dnsjava's RRset holds two ArrayLists and their arrays, 104 bytes of heap per entry beside
   * a 24-byte list of one record (JDK 17, compressed oops), on every name the cache holds.
   */
  final class Positive implements CacheEntry {
    /** {@link #storedTtl} when the records, RRSIGs and proofs did not all come with one TTL. */
    private static final long MIXED_TTLS = -1;

    private final List<Record> records;
    private final List<Record> signatures;
    private final CacheRank rank;
    private final Name zone;
    private final long expiresAt;
    private final List<Record> proofs;
    /** The TTL every stored record has, or {@link #MIXED_TTLS}: when it is the TTL left, they are served as stored. */
    private final long storedTtl;
    private final int retainedBytes;
    private volatile Rendered rendered;

    /** Everything the entry serves, as of one second of the cache's clock. */
    private record Rendered(long now, List<Record> records, List<Record> signatures, List<Record> proofs) {}

    public Positive(RRset rrset, CacheRank rank, Name zone, long expiresAt) {
      this(rrset, rank, zone, expiresAt, List.of());
    }

    /**
     * @param proofs what the authority section proved beside the RRset: for an answer expanded
     *     from a wildcard, the NSEC or NSEC3 records (with RRSIGs) showing the name itself does not
     *     exist (RFC 4035 3.1.3.3), which a validator needs again when the answer is served from here
     */
    public Positive(RRset rrset, CacheRank rank, Name zone, long expiresAt, List<Record> proofs) {
      this.records = List.copyOf(rrset.rrs(false));
      this.signatures = List.copyOf(rrset.sigs());
      this.rank = rank;
      this.zone = zone;
      this.expiresAt = expiresAt;
      this.proofs = List.copyOf(proofs);
      this.storedTtl = commonTtl(records, commonTtl(signatures, commonTtl(this.proofs, records.get(0).getTTL())));
      this.retainedBytes = (int) RetainedBytes.of(records, signatures, this.proofs);
    }

    /** {@code ttl} when every record has it, else {@link #MIXED_TTLS}. */
    private static long commonTtl(List<Record> records, long ttl) {
      for (int i = 0, n = records.size(); i < n; i++) {
        if (records.get(i).getTTL() != ttl) {
          return MIXED_TTLS;
        }
      }
      return ttl;
    }

    /** The records as stored, TTLs as they came, in the order they came; never empty. */
    public List<Record> records() {
      return records;
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
      return records.get(0).getName();
    }

    @Override
    public long retainedBytes() {
      return retainedBytes;
    }

    /** The RRset's type, as {@link RRset#getType()} gives it. */
    @Override
    public int type() {
      return records.get(0).getRRsetType();
    }

    /** The records with their TTL counted down to what is left (RFC 1035 3.2.1). */
    public List<Record> records(long now) {
      return servedAsStored(now) ? records : rendered(now).records();
    }

    /**
     * The RRSIGs stored with the RRset (RFC 4035 4.5: signatures are cached with the data they
     * cover, and expire with it), TTL counted down like the records'; empty when the servers sent
     * none or were not asked with DO.
     */
    public List<Record> signatures(long now) {
      return servedAsStored(now) ? signatures : rendered(now).signatures();
    }

    /** The wildcard proofs stored with the RRset, TTL counted down; usually empty. */
    public List<Record> proofs(long now) {
      return servedAsStored(now) ? proofs : rendered(now).proofs();
    }

    /**
     * Whether at {@code now} every stored record already has the TTL left: then the counted-down
     * copies would be the stored records themselves ({@link Ttls#withTtl(Record, long)}).
     */
    private boolean servedAsStored(long now) {
      return storedTtl == remainingTtl(now);
    }

    private Rendered rendered(long now) {
      Rendered current = rendered;
      if (current == null || current.now() != now) {
        long ttl = remainingTtl(now);
        current = new Rendered(now, Ttls.withTtl(records, ttl), Ttls.withTtl(signatures, ttl),
            Ttls.withTtl(proofs, ttl));
        rendered = current;
      }
      return current;
    }
  }

  /**
   * A negative answer (RFC 2308): NXDOMAIN covers every type at the name, NODATA one type. The SOA
   * is kept to go into the authority section of answers served from the cache (RFC 2308 5), and
   * with it the {@code proofs}: the SOA's RRSIGs and the NSEC or NSEC3 records (with their RRSIGs)
   * that prove the denial (RFC 4035 3.1.3, 4.5), empty for an unsigned zone.
   */
  final class Negative implements CacheEntry {
    private final Name owner;
    private final int type;
    private final boolean nxdomain;
    private final SOARecord soa;
    private final List<Record> proofs;
    private final Name zone;
    private final long expiresAt;
    private final long retainedBytes;
    private volatile Rendered rendered;

    /** The SOA and proofs as served in one second of the cache's clock, built once for every hit in it. */
    private record Rendered(long now, SOARecord soa, List<Record> proofs) {}

    public Negative(Name owner, int type, boolean nxdomain, SOARecord soa, List<Record> proofs, Name zone,
        long expiresAt) {
      this.owner = owner;
      this.type = type;
      this.nxdomain = nxdomain;
      this.soa = soa;
      this.proofs = List.copyOf(proofs);
      this.zone = zone;
      this.expiresAt = expiresAt;
      this.retainedBytes = RetainedBytes.of(List.of(soa), this.proofs, List.of());
    }

    public Negative(Name owner, int type, boolean nxdomain, SOARecord soa, Name zone, long expiresAt) {
      this(owner, type, nxdomain, soa, List.of(), zone, expiresAt);
    }

    @Override
    public Name owner() {
      return owner;
    }

    @Override
    public int type() {
      return type;
    }

    public boolean nxdomain() {
      return nxdomain;
    }

    /** The SOA as stored. */
    public SOARecord soa() {
      return soa;
    }

    /** The proofs as stored. */
    public List<Record> proofs() {
      return proofs;
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
    public long retainedBytes() {
      return retainedBytes;
    }

    public SOARecord soa(long now) {
      return rendered(now).soa();
    }

    /** The proofs with their TTL counted down, like the SOA's. */
    public List<Record> proofs(long now) {
      return rendered(now).proofs();
    }

    private Rendered rendered(long now) {
      Rendered current = rendered;
      if (current == null || current.now() != now) {
        long ttl = remainingTtl(now);
        current = new Rendered(now, (SOARecord) Ttls.withTtl(soa, ttl), Ttls.withTtl(proofs, ttl));
        rendered = current;
      }
      return current;
    }

    @Override
    public String toString() {
      return "Negative[owner=" + owner + ", type=" + type + ", nxdomain=" + nxdomain + ", zone=" + zone
          + ", expiresAt=" + expiresAt + "]";
    }
  }

  /**
   * A failed resolution (RFC 9520): SERVFAIL until it expires, so a broken zone is not hammered.
   * {@code edeCode} is the RFC 8914 Extended DNS Error the SERVFAIL carried (-1: none), so an
   * answer from the cache explains itself as the first one did.
   */
  record Failure(Name owner, int type, Name zone, String reason, int edeCode, long expiresAt) implements CacheEntry {
    public Failure(Name owner, int type, Name zone, String reason, long expiresAt) {
      this(owner, type, zone, reason, -1, expiresAt);
    }

    /** No records: the entry, the owner's name (shared with the query) and the reason's text. */
    @Override
    public long retainedBytes() {
      return RetainedBytes.ENTRY + 2L * reason.length();
    }
  }
}
