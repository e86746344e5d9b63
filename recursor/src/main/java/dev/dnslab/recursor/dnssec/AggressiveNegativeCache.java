package dev.dnslab.recursor.dnssec;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Aggressive use of the DNSSEC-validated cache (RFC 8198): the NSEC and NSEC3 records of secure
 * negative answers prove more than the question they came with, so a later question whose name
 * they cover is answered NXDOMAIN or NODATA without asking any authority.
 *
 * <ul>
 *   <li>NXDOMAIN from NSEC (RFC 4035 5.4): an NSEC covering the name, and one covering the
 *       wildcard at the closest encloser (or the name's own NSEC chain shows it is an empty
 *       non-terminal: NODATA).
 *   <li>NXDOMAIN from NSEC3 (RFC 5155 8.4): the closest encloser's matching NSEC3, an NSEC3 covering
 *       the next closer name and one covering the wildcard; never when a covering NSEC3 has the
 *       Opt-Out flag, since an unsigned delegation may hide in the span (RFC 5155 6, RFC 8198 4.2).
 *   <li>NODATA from the NSEC or NSEC3 of the name itself, when its bitmap has neither the type nor
 *       CNAME (RFC 4035 5.4, RFC 5155 8.5); at a delegation (NS without SOA) only for DS.
 *   <li>Each record is kept no longer than its TTL, the SOA's TTL and MINIMUM (RFC 8198 5.4,
 *       RFC 2308 5) and the earliest expiration of its RRSIGs.
 * </ul>
 *
 * Only records the validator found secure may be given to {@link #learn}; this class does not
 * verify signatures again. The number of RRsets kept is bounded; the oldest go first. Thread-safe.
 *
 * <pre>{@code
 * AggressiveNegativeCache aggressive = new AggressiveNegativeCache(
 *     AggressiveNegativeCache.DEFAULT_MAX_RRSETS, ResolutionLimits.DEFAULT.validation(), Clock.systemUTC(),
 *     metrics.registry());
 * // after validating a negative answer (NXDOMAIN, or NOERROR with no answer):
 * aggressive.learn(signedAnswer, validation.verdict());
 * // on a cache miss for a client's question without CD, before iterating:
 * Optional<SynthesizedAnswer> synthesized = aggressive.answer(qname, qtype);
 * // answer synthesized.rcode() with synthesized.authorityRecords(clientSetDo), AD as for any secure
 * // answer (RFC 6840 5.7), and keep it in the record cache like a validated negative answer.
 * }</pre>
 *
 * <p>Where the recursor calls it (left to the wiring of the validator): {@code learn} where a
 * validated negative answer comes back to the iterator, with its verdict; {@code answer} in
 * {@code Resolution}'s INIT_REQUEST after {@code IteratorCache} finds nothing for the client's own
 * question (depth 0, not for DS/DNSKEY fetches of the {@code KeySource}); {@code clear()} from
 * {@code /cache/flush} without a name.
 */
public final class AggressiveNegativeCache {
  /** Counter of answers made here, tags {@code rcode} (NXDOMAIN, NODATA) and {@code denial} (nsec, nsec3). */
  public static final String SYNTHESIZED = "dns.recursor.aggressive.synthesized";
  /**
   * RRsets (SOA, NSEC, NSEC3) kept. The lab's zones have a few hundred denial records in all; a
   * resolver for the Internet would size this with its record cache.
   */
  public static final int DEFAULT_MAX_RRSETS = 10_000;

  private static final Name WILDCARD_LABEL = Name.fromConstantString("*");
  private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);

  private final int maxRrsets;
  private final int maxNsec3Iterations;
  private final int maxNsec3Hashes;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Map<Name, ZoneDenials> zones = new HashMap<>();
  /** Every stored RRset in the order it was learned, for eviction. */
  private final LinkedHashMap<Key, Stored> byAge = new LinkedHashMap<>();

  /**
   * @param maxRrsets how many SOA, NSEC and NSEC3 RRsets to keep
   * @param limits {@code maxNsec3Iterations} (RFC 9276 3.2: a denial with more is not used) and
   *     {@code maxNsec3Hashes} (CVE-2023-50868: names hashed for one question)
   * @param clock when records expire
   * @param registry where {@value #SYNTHESIZED} is counted
   */
  public AggressiveNegativeCache(int maxRrsets, ValidationLimits limits, Clock clock, MeterRegistry registry) {
    if (maxRrsets < 1) {
      throw new IllegalArgumentException("maxRrsets: " + maxRrsets + " (expected: >= 1)");
    }
    this.maxRrsets = maxRrsets;
    this.maxNsec3Iterations = requireNonNull(limits, "limits").maxNsec3Iterations();
    this.maxNsec3Hashes = limits.maxNsec3Hashes();
    this.clock = requireNonNull(clock, "clock");
    this.registry = requireNonNull(registry, "registry");
  }

  // ---- learning ------------------------------------------------------------------------------

  /**
   * Keeps the SOA and the NSEC/NSEC3 RRsets of {@code answer}'s authority section when {@code
   * verdict} is secure; anything else is ignored. Records whose RRSIGs are not signed by the SOA's
   * zone, or are not valid now, are not kept.
   */
  public synchronized void learn(SignedAnswer answer, Verdict verdict) {
    requireNonNull(answer, "answer");
    if (verdict == null || !verdict.isSecure()) {
      return;
    }
    RRset soa = answer.authority().stream().filter(s -> s.getType() == Type.SOA).findFirst().orElse(null);
    if (soa == null) {
      return; // RFC 8198 5.4 needs the SOA for the negative TTL
    }
    Name apex = soa.getName();
    Instant now = clock.instant();
    SOARecord soaRecord = (SOARecord) soa.first();
    // RFC 8198 5.4 with RFC 2308 5: negative information lives no longer than min(SOA TTL, MINIMUM).
    long negativeTtl = Math.min(soaRecord.getTTL(), soaRecord.getMinimum());
    Instant soaExpires = expiry(soa, apex, negativeTtl, now);
    if (soaExpires == null) {
      return;
    }
    ZoneDenials zone = zones.computeIfAbsent(apex, ZoneDenials::new);
    store(zone, new Key(apex, Type.SOA, ""), soa, soaExpires);
    for (RRset set : answer.authority()) {
      if (!set.getName().subdomain(apex)) {
        continue;
      }
      if (set.getType() == Type.NSEC) {
        Instant expires = expiry(set, apex, Math.min(set.getTTL(), negativeTtl), now);
        if (expires != null) {
          store(zone, new Key(apex, Type.NSEC, set.getName().toString().toLowerCase(Locale.ROOT)), set, expires);
        }
      } else if (set.getType() == Type.NSEC3) {
        learnNsec3(zone, set, negativeTtl, now);
      }
    }
    if (zone.isEmpty()) {
      zones.remove(apex);
    }
  }

  private void learnNsec3(ZoneDenials zone, RRset set, long negativeTtl, Instant now) {
    NSEC3Record nsec3 = (NSEC3Record) set.first();
    // RFC 5155 3: owner = base32hex(hash).apex, one label; RFC 9276 3.2: too many iterations, not used.
    if (set.getName().labels() != zone.apex.labels() + 1 || nsec3.getHashAlgorithm() != NSEC3Record.SHA1_DIGEST_ID
        || nsec3.getIterations() > maxNsec3Iterations) {
      return;
    }
    Instant expires = expiry(set, zone.apex, Math.min(set.getTTL(), negativeTtl), now);
    if (expires == null) {
      return;
    }
    Nsec3Parameters parameters = Nsec3Parameters.of(nsec3);
    if (!parameters.equals(zone.nsec3Parameters)) {
      // New salt or iterations: the old chain's hashes no longer line up with the zone (RFC 5155 10.5).
      new ArrayList<>(zone.nsec3.values()).forEach(this::remove);
      zone.nsec3Parameters = parameters;
    }
    store(zone, new Key(zone.apex, Type.NSEC3, set.getName().getLabelString(0).toLowerCase(Locale.ROOT)),
        set, expires);
  }

  /**
   * When {@code set} stops being usable: its TTL capped by {@code ttl}, and never after the
   * earliest RRSIG expiration (RFC 8198 5.4); null when it has no RRSIG by the zone, or one that
   * is not valid now.
   */
  private static Instant expiry(RRset set, Name apex, long ttl, Instant now) {
    Instant expires = now.plus(Duration.ofSeconds(Math.min(ttl, set.getTTL())));
    if (set.sigs().isEmpty()) {
      return null;
    }
    for (RRSIGRecord sig : set.sigs()) {
      if (!sig.getSigner().equals(apex) || now.isBefore(sig.getTimeSigned()) || !now.isBefore(sig.getExpire())) {
        return null;
      }
      if (sig.getExpire().isBefore(expires)) {
        expires = sig.getExpire();
      }
    }
    return expires;
  }

  private void store(ZoneDenials zone, Key key, RRset set, Instant expires) {
    Stored old = byAge.remove(key);
    if (old != null) {
      zone.remove(old);
    }
    Stored stored = new Stored(key, set, expires);
    byAge.put(key, stored);
    zone.put(stored);
    Iterator<Stored> oldest = byAge.values().iterator();
    while (byAge.size() > maxRrsets) {
      Stored evicted = oldest.next();
      oldest.remove();
      ZoneDenials owner = zones.get(evicted.key.zone);
      owner.remove(evicted);
      if (owner.isEmpty() && owner != zone) {
        zones.remove(owner.apex);
      }
    }
  }

  private void remove(Stored stored) {
    byAge.remove(stored.key);
    ZoneDenials zone = zones.get(stored.key.zone);
    if (zone != null) {
      zone.remove(stored);
      if (zone.isEmpty()) {
        zones.remove(zone.apex);
      }
    }
  }

  // ---- answering -----------------------------------------------------------------------------

  /**
   * The negative answer the cached proofs give for {@code qname}/{@code qtype}, if they prove one;
   * empty when they do not (ask the authorities). Counts each answer in {@value #SYNTHESIZED}.
   */
  public synchronized Optional<SynthesizedAnswer> answer(Name qname, int qtype) {
    requireNonNull(qname, "qname");
    ZoneDenials zone = closestZone(qname, qtype);
    if (zone == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    dropExpired(zone, now);
    if (zone.soa == null || !zones.containsKey(zone.apex)) {
      return Optional.empty();
    }
    Optional<Proof> proof = nsecProof(zone, qname, qtype);
    if (proof.isEmpty()) {
      proof = nsec3Proof(zone, qname, qtype);
    }
    return proof.map(p -> {
      SynthesizedAnswer answer = synthesize(zone, qname, qtype, p, now);
      Counter.builder(SYNTHESIZED).description("Negative answers made from validated NSEC/NSEC3 records (RFC 8198)")
          .tags("rcode", answer.kind(), "denial", answer.denial()).register(registry).increment();
      return answer;
    });
  }

  /** RRsets kept now, expired ones included until a question or a new record removes them. */
  public synchronized int size() {
    return byAge.size();
  }

  /** Forgets everything (a cache flush); returns how many RRsets went. */
  public synchronized int clear() {
    int removed = byAge.size();
    zones.clear();
    byAge.clear();
    return removed;
  }

  /**
   * The deepest zone we hold proofs of that encloses {@code qname}. A DS RRset lives on the parent
   * side of a cut (RFC 4035 2.4), so for DS the zone {@code qname} is the apex of does not count.
   */
  private ZoneDenials closestZone(Name qname, int qtype) {
    if (zones.size() < qname.labels()) {
      return closestZoneAmongFew(qname, qtype);
    }
    for (Name name = qname; ; name = new Name(name, 1)) {
      ZoneDenials zone = zones.get(name);
      if (zone != null && !(qtype == Type.DS && name.equals(qname) && !name.equals(Name.root))) {
        return zone;
      }
      if (name.labels() <= 1) {
        return null;
      }
    }
  }

  /**
   * {@link #closestZone} by looking at each zone held rather than at each of the name's ancestors:
   * the same zone (the deepest apex at or above the name), without making a Name per label on every
   * cache miss, when fewer zones are held than the name has labels (an unsigned zone's misses hold
   * the denial of its DS in the parent, a zone or two).
   */
  private ZoneDenials closestZoneAmongFew(Name qname, int qtype) {
    ZoneDenials closest = null;
    for (ZoneDenials zone : zones.values()) {
      Name apex = zone.apex;
      if (qname.subdomain(apex) && (closest == null || apex.labels() > closest.apex.labels())
          && !(qtype == Type.DS && apex.equals(qname) && !apex.equals(Name.root))) {
        closest = zone;
      }
    }
    return closest;
  }

  private void dropExpired(ZoneDenials zone, Instant now) {
    List<Stored> expired = new ArrayList<>();
    zone.forEach(stored -> {
      if (!now.isBefore(stored.expires)) {
        expired.add(stored);
      }
    });
    expired.forEach(this::remove);
  }

  /** What one proof came to: its rcode, the records used, and in words why. */
  private record Proof(int rcode, String denial, List<RRset> records, String reason) {}

  // RFC 4035 5.4 and 3.1.3: denial with NSEC.
  private static Optional<Proof> nsecProof(ZoneDenials zone, Name qname, int qtype) {
    if (zone.nsec.isEmpty()) {
      return Optional.empty();
    }
    Stored own = zone.nsec.get(qname);
    if (own != null) {
      NSECRecord nsec = (NSECRecord) own.set.first();
      return noDataAt(nsec.getTypes(), qtype)
          ? Optional.of(new Proof(Rcode.NOERROR, "nsec", List.of(own.set),
              "NODATA: the NSEC of " + qname + " lists no " + Type.string(qtype)))
          : Optional.empty();
    }
    Stored covering = coveringNsec(zone, qname);
    if (covering == null || fromAboveACut(covering.set, qname)) {
      return Optional.empty();
    }
    NSECRecord nsec = (NSECRecord) covering.set.first();
    if (nsec.getNext().subdomain(qname)) {
      // RFC 4035 3.1.3.2 note: names below qname exist, so it is an empty non-terminal: no data at all.
      return Optional.of(new Proof(Rcode.NOERROR, "nsec", List.of(covering.set),
          "NODATA: " + qname + " is an empty non-terminal (NSEC " + nsec.getName() + " -> " + nsec.getNext() + ")"));
    }
    Name encloser = deeper(commonAncestor(qname, nsec.getName()), commonAncestor(qname, nsec.getNext()));
    Name wildcard = wildcardAt(encloser);
    if (wildcard == null) {
      return Optional.empty();
    }
    Stored wildcardOwn = zone.nsec.get(wildcard);
    if (wildcardOwn != null) {
      // RFC 4035 3.1.3.4: the wildcard exists; NODATA only if it lacks the type (no positive synthesis here).
      return noDataAt(((NSECRecord) wildcardOwn.set.first()).getTypes(), qtype)
          ? Optional.of(new Proof(Rcode.NOERROR, "nsec", distinct(covering.set, wildcardOwn.set),
              "NODATA: " + qname + " is covered by NSEC " + nsec.getName() + " and the wildcard " + wildcard
                  + " has no " + Type.string(qtype)))
          : Optional.empty();
    }
    Stored wildcardCovering = coveringNsec(zone, wildcard);
    if (wildcardCovering == null) {
      return Optional.empty();
    }
    return Optional.of(new Proof(Rcode.NXDOMAIN, "nsec", distinct(covering.set, wildcardCovering.set),
        "NXDOMAIN: NSEC " + nsec.getName() + " -> " + nsec.getNext() + " covers " + qname + " and NSEC "
            + wildcardCovering.set.getName() + " covers " + wildcard));
  }

  /** The cached NSEC whose span (owner, next) holds {@code name}, the last one wrapping to the apex. */
  private static Stored coveringNsec(ZoneDenials zone, Name name) {
    Map.Entry<Name, Stored> lower = zone.nsec.lowerEntry(name);
    if (lower == null) {
      return null;
    }
    NSECRecord nsec = (NSECRecord) lower.getValue().set.first();
    Name next = nsec.getNext();
    boolean last = next.compareTo(nsec.getName()) <= 0; // RFC 4034 4.1.1: the last NSEC points at the apex
    return last || name.compareTo(next) < 0 ? lower.getValue() : null;
  }

  /**
   * RFC 6840 4.1: an NSEC at a delegation (NS without SOA) or a DNAME says nothing about the names
   * below it, which belong to another zone.
   */
  private static boolean fromAboveACut(RRset set, Name qname) {
    Name owner = set.getName();
    if (!qname.subdomain(owner) || qname.equals(owner)) {
      return false;
    }
    int[] types = set.first() instanceof NSECRecord n ? n.getTypes() : ((NSEC3Record) set.first()).getTypes();
    return has(types, Type.DNAME) || (has(types, Type.NS) && !has(types, Type.SOA));
  }

  // RFC 5155 8.4-8.7: denial with NSEC3.
  private Optional<Proof> nsec3Proof(ZoneDenials zone, Name qname, int qtype) {
    if (zone.nsec3.isEmpty()) {
      return Optional.empty();
    }
    Nsec3Hasher hasher = new Nsec3Hasher(zone, maxNsec3Hashes);
    Stored own = hasher.matching(qname);
    if (own != null) {
      NSEC3Record nsec3 = (NSEC3Record) own.set.first();
      return noDataAt(nsec3.getTypes(), qtype)
          ? Optional.of(new Proof(Rcode.NOERROR, "nsec3", List.of(own.set),
              "NODATA: the NSEC3 of " + qname + " lists no " + Type.string(qtype)))
          : Optional.empty();
    }
    // RFC 5155 8.3: the closest encloser is the deepest ancestor with an NSEC3 of its own.
    for (Name encloser = new Name(qname, 1); encloser.subdomain(zone.apex); encloser = new Name(encloser, 1)) {
      if (hasher.exhausted()) {
        return Optional.empty();
      }
      Stored encloserOwn = hasher.matching(encloser);
      if (encloserOwn == null) {
        if (encloser.equals(zone.apex)) {
          return Optional.empty();
        }
        continue;
      }
      if (fromAboveACut(encloserOwn.set, qname)) {
        return Optional.empty();
      }
      Name nextCloser = new Name(qname, qname.labels() - encloser.labels() - 1);
      Stored nextCloserCovering = hasher.covering(nextCloser);
      if (nextCloserCovering == null || optOut(nextCloserCovering)) {
        // RFC 5155 6 and RFC 8198 4.2: an Opt-Out span may hide an unsigned delegation.
        return Optional.empty();
      }
      Name wildcard = wildcardAt(encloser);
      if (wildcard == null) {
        return Optional.empty();
      }
      Stored wildcardOwn = hasher.matching(wildcard);
      if (wildcardOwn != null) {
        return noDataAt(((NSEC3Record) wildcardOwn.set.first()).getTypes(), qtype)
            ? Optional.of(new Proof(Rcode.NOERROR, "nsec3", distinct(encloserOwn.set, nextCloserCovering.set, wildcardOwn.set),
                "NODATA: closest encloser " + encloser + ", next closer " + nextCloser + " covered, wildcard "
                    + wildcard + " has no " + Type.string(qtype)))
            : Optional.empty();
      }
      Stored wildcardCovering = hasher.covering(wildcard);
      if (wildcardCovering == null || optOut(wildcardCovering)) {
        return Optional.empty();
      }
      return Optional.of(new Proof(Rcode.NXDOMAIN, "nsec3",
          distinct(encloserOwn.set, nextCloserCovering.set, wildcardCovering.set),
          "NXDOMAIN: closest encloser " + encloser + " (NSEC3 " + encloserOwn.set.getName() + "), next closer "
              + nextCloser + " covered by NSEC3 " + nextCloserCovering.set.getName() + ", wildcard " + wildcard
              + " covered by NSEC3 " + wildcardCovering.set.getName()));
    }
    return Optional.empty();
  }

  private static boolean optOut(Stored stored) {
    return (((NSEC3Record) stored.set.first()).getFlags() & NSEC3Record.Flags.OPT_OUT) != 0;
  }

  /**
   * Whether a name with these types has no {@code qtype}: neither the type nor a CNAME (which would
   * answer any type, RFC 4035 3.1.3.1). At a delegation (NS, no SOA) the parent speaks only for DS.
   */
  private static boolean noDataAt(int[] types, int qtype) {
    boolean delegation = has(types, Type.NS) && !has(types, Type.SOA);
    if (delegation && qtype != Type.DS) {
      return false;
    }
    return !has(types, qtype) && !has(types, Type.CNAME);
  }

  private SynthesizedAnswer synthesize(ZoneDenials zone, Name qname, int qtype, Proof proof, Instant now) {
    List<RRset> authority = new ArrayList<>();
    Stored soa = zone.soa;
    authority.add(withTtl(soa.set, remaining(soa, now)));
    for (RRset set : proof.records) {
      Stored stored = zone.stored(set);
      authority.add(withTtl(set, remaining(stored, now)));
    }
    return new SynthesizedAnswer(qname, qtype, proof.rcode, zone.apex, proof.denial, authority,
        "RFC 8198 from the validated cache of zone " + zone.apex + ": " + proof.reason);
  }

  private static long remaining(Stored stored, Instant now) {
    return Math.max(0, Math.min(stored.set.getTTL(), Duration.between(now, stored.expires).getSeconds()));
  }

  /** A copy of the RRset and its RRSIGs with the TTL it has left (dnsjava records are immutable). */
  private static RRset withTtl(RRset set, long ttl) {
    RRset copy = new RRset();
    for (Record record : set.rrs(false)) {
      copy.addRR(Record.newRecord(record.getName(), record.getType(), record.getDClass(), ttl,
          record.rdataToWireCanonical()));
    }
    for (RRSIGRecord sig : set.sigs()) {
      copy.addRR(Record.newRecord(sig.getName(), sig.getType(), sig.getDClass(), ttl, sig.rdataToWireCanonical()));
    }
    return copy;
  }

  // ---- names ---------------------------------------------------------------------------------

  private static boolean has(int[] types, int type) {
    for (int t : types) {
      if (t == type) {
        return true;
      }
    }
    return false;
  }

  private static Name commonAncestor(Name a, Name b) {
    Name name = a;
    while (!b.subdomain(name)) {
      name = new Name(name, 1);
    }
    return name;
  }

  private static Name deeper(Name a, Name b) {
    return a.labels() >= b.labels() ? a : b;
  }

  /** {@code *.encloser}, or null when that name would be too long (then there is nothing to prove). */
  private static Name wildcardAt(Name encloser) {
    try {
      return Name.concatenate(WILDCARD_LABEL, encloser);
    } catch (NameTooLongException e) {
      return null;
    }
  }

  @SafeVarargs
  private static List<RRset> distinct(RRset... sets) {
    List<RRset> list = new ArrayList<>();
    for (RRset set : sets) {
      if (list.stream().noneMatch(s -> s == set)) {
        list.add(set);
      }
    }
    return list;
  }

  // ---- storage -------------------------------------------------------------------------------

  /** One stored RRset: by zone, type and owner (NSEC3: its hash label), in lower case. */
  private record Key(Name zone, int type, String owner) {}

  private record Stored(Key key, RRset set, Instant expires) {}

  /** The hash parameters every NSEC3 of one chain shares (RFC 5155 3.1). */
  private record Nsec3Parameters(int algorithm, int iterations, String salt) {
    static Nsec3Parameters of(NSEC3Record record) {
      byte[] salt = record.getSalt();
      return new Nsec3Parameters(record.getHashAlgorithm(), record.getIterations(),
          salt == null ? "" : java.util.HexFormat.of().formatHex(salt));
    }
  }

  /** What is known of one zone's denial: its SOA, and its NSEC records or its NSEC3 chain. */
  private static final class ZoneDenials {
    final Name apex;
    Stored soa;
    final TreeMap<Name, Stored> nsec = new TreeMap<>();
    NSEC3Record nsec3Sample;
    Nsec3Parameters nsec3Parameters;
    /** By base32hex hash, lower case: the order of the hashes (RFC 4648 7). */
    final TreeMap<String, Stored> nsec3 = new TreeMap<>();

    ZoneDenials(Name apex) {
      this.apex = apex;
    }

    void put(Stored stored) {
      switch (stored.key.type) {
        case Type.SOA -> soa = stored;
        case Type.NSEC -> nsec.put(stored.set.getName(), stored);
        default -> {
          nsec3.put(stored.key.owner, stored);
          nsec3Sample = (NSEC3Record) stored.set.first();
        }
      }
    }

    void remove(Stored stored) {
      switch (stored.key.type) {
        case Type.SOA -> soa = soa == stored ? null : soa;
        case Type.NSEC -> nsec.remove(stored.set.getName(), stored);
        default -> nsec3.remove(stored.key.owner, stored);
      }
    }

    boolean isEmpty() {
      return soa == null && nsec.isEmpty() && nsec3.isEmpty();
    }

    void forEach(java.util.function.Consumer<Stored> action) {
      if (soa != null) {
        action.accept(soa);
      }
      nsec.values().forEach(action);
      nsec3.values().forEach(action);
    }

    Stored stored(RRset set) {
      if (set.getType() == Type.NSEC) {
        return nsec.get(set.getName());
      }
      return nsec3.get(set.getName().getLabelString(0).toLowerCase(Locale.ROOT));
    }
  }

  /** Hashes names with one zone's NSEC3 parameters, at most {@code limit} of them per question. */
  private static final class Nsec3Hasher {
    private final ZoneDenials zone;
    private final int limit;
    private int hashed;

    Nsec3Hasher(ZoneDenials zone, int limit) {
      this.zone = zone;
      this.limit = limit;
    }

    boolean exhausted() {
      return hashed >= limit;
    }

    private String hash(Name name) {
      hashed++;
      try {
        return BASE32HEX.toString(zone.nsec3Sample.hashName(name));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this JDK has no SHA-1 for NSEC3 (RFC 5155 5)", e);
      }
    }

    /** The NSEC3 whose owner is the hash of {@code name}, or null. */
    Stored matching(Name name) {
      return exhausted() ? null : zone.nsec3.get(hash(name));
    }

    /** The NSEC3 whose span (owner hash, next hash) holds the hash of {@code name}, wrapping at the end. */
    Stored covering(Name name) {
      if (exhausted()) {
        return null;
      }
      String hash = hash(name);
      if (zone.nsec3.containsKey(hash)) {
        return null;
      }
      Map.Entry<String, Stored> lower = zone.nsec3.lowerEntry(hash);
      if (lower == null) {
        lower = zone.nsec3.lastEntry(); // before the first hash: only the last record's wrap covers it
      }
      NSEC3Record nsec3 = (NSEC3Record) lower.getValue().set.first();
      String owner = lower.getKey();
      String next = BASE32HEX.toString(nsec3.getNext());
      boolean covers = owner.compareTo(next) < 0
          ? owner.compareTo(hash) < 0 && hash.compareTo(next) < 0
          : owner.compareTo(hash) < 0 || hash.compareTo(next) < 0; // RFC 5155 3.1.7: the last wraps
      return covers ? lower.getValue() : null;
    }
  }
}
