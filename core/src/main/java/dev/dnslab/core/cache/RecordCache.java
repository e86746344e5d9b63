package dev.dnslab.core.cache;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A DNS cache, the recursor's and the router's: positive RRsets, negative answers (RFC 2308) and
 * failures (RFC 9520), keyed by owner name (case-insensitive, RFC 4343) and type. TTLs count down from when the data was stored;
 * expired entries are never served as fresh. With a stale window (serve-stale, RFC 8767 4), expired
 * RRsets and negative answers stay for that long past their TTL, for {@link #stalePositive} and
 * {@link #staleNegative} to give when no authority answers; failures are never kept stale. When more
 * than {@code maxEntries} are held, or their estimated heap ({@link RetainedBytes}) is more than
 * {@code maxBytes}, entries past the stale window go first, then the stale ones, then the ones
 * closest to expiry; fresh infrastructure (referral NS sets, glue, and NS, DS and DNSKEY RRsets,
 * which every resolution below their zone reads again) only after fresh leaf data, as long as it is
 * not the larger part of the cache, so a flood of new names does not push out the delegations
 * that resolve them. A count alone does not bound memory: an entry of a signed zone's RRset with
 * its RRSIGs holds several times the heap of an unsigned A record. Failures count against both
 * bounds and leave like leaf data, soonest to expire first, but only once held {@link
 * #MIN_FAILURE_SECONDS}: RFC 9520 3.2 makes a resolver cache a failure at least that long, so a
 * full cache cannot send a broken zone's queries out again in a loop, while a flood of SERVFAILs
 * (every failure lives the failure TTL, 5 s) cannot hold heap past the memory bound for longer.
 *
 * <p>Eviction takes the next victim off an {@link ExpiryQueue} in O(1) (amortised: a key whose
 * entry was replaced or flushed meanwhile is skipped when reached, and such keys are swept out
 * once they are as many as the rest), never walking the cache.
 */
public final class RecordCache {
  /** The type under which an NXDOMAIN is stored: it covers every type at the name (RFC 2308 5). */
  static final int NXDOMAIN_TYPE = -1;

  /**
   * A full cache evicts down to {@code maxEntries - maxEntries / EVICTION_BATCH_DIVISOR}, not to
   * {@code maxEntries}: it did when finding victims walked the whole cache (once a flood of new
   * names had filled it, a walk per insert cost more than resolving), and it still takes the
   * eviction lock once per that many inserts instead of once per insert. A cache of fewer than 16
   * entries still evicts one at a time.
   */
  private static final int EVICTION_BATCH_DIVISOR = 16;

  /** Queued keys below which the queues are never swept of keys whose entry went. */
  private static final int MIN_SWEEP = 1_024;

  /**
   * Seconds a failure is held before it may be evicted: RFC 9520 3.2 requires a resolver to cache a
   * resolution failure for at least one second. Past that a full cache takes it like any other leaf
   * entry (RFC 9520 leaves how the failure cache is kept to the implementation).
   */
  static final long MIN_FAILURE_SECONDS = 1;

  /** {@code maxBytes} for a cache bounded by its entry count only. */
  public static final long NO_BYTE_BOUND = Long.MAX_VALUE;

  private final Map<QuestionKey, CacheEntry> entries = new ConcurrentHashMap<>();
  private final Map<QuestionKey, CacheEntry.Failure> failures = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final long maxBytes;
  /** The sum of the held entries' {@link CacheEntry#retainedBytes()}, failures included. */
  private final AtomicLong bytes = new AtomicLong();
  /** How many of the held entries are DNAME RRsets, fresh or not (see {@link #holdsDnames()}). */
  private final AtomicInteger dnames = new AtomicInteger();
  private final TtlLimits limits;
  private final long staleWindow;
  private final CacheClock clock;
  private final CacheMetrics metrics;
  private final CacheChanges changes = new CacheChanges();
  private final ZoneNames zoneNames = new ZoneNames();
  /** The proofs many entries hold alike (a signed zone's NSEC3s and RRSIGs), held once. */
  private final SharedRecords sharedProofs = new SharedRecords();
  /**
   * The keys of the entries, in eviction order: leaf data and infrastructure apart, so the first
   * goes before the second. Guarded by {@code queues}, the first of them.
   */
  private final ExpiryQueue<QuestionKey> leaves = new ExpiryQueue<>();
  private final ExpiryQueue<QuestionKey> infrastructure = new ExpiryQueue<>();
  /**
   * The failures' keys, in the order they expire (all live the failure TTL): dropped once expired,
   * evicted like leaf data once held {@link #MIN_FAILURE_SECONDS}. Guarded like the others.
   */
  private final ExpiryQueue<QuestionKey> failureKeys = new ExpiryQueue<>();
  private final Object queues = leaves;
  /** The queued keys above which the next insert sweeps out those whose entry went. */
  private int sweepAbove = MIN_SWEEP;

  /** A cache bounded by its entry count that keeps nothing past its TTL (serve-stale off). */
  public RecordCache(int maxEntries, TtlLimits limits, CacheClock clock, CacheMetrics metrics) {
    this(maxEntries, limits, 0, clock, metrics);
  }

  /** A cache bounded by its entry count only. */
  public RecordCache(int maxEntries, TtlLimits limits, long staleWindow, CacheClock clock, CacheMetrics metrics) {
    this(maxEntries, NO_BYTE_BOUND, limits, staleWindow, clock, metrics);
  }

  /**
   * @param maxBytes the most heap the entries may hold, as {@link RetainedBytes} estimates it, or
   *     {@link #NO_BYTE_BOUND}
   * @param staleWindow seconds an expired RRset or negative answer is kept past its TTL for
   *     serve-stale (RFC 8767 5's "maximum stale timer"); 0 keeps nothing stale
   */
  public RecordCache(int maxEntries, long maxBytes, TtlLimits limits, long staleWindow, CacheClock clock,
      CacheMetrics metrics) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
    }
    if (staleWindow < 0) {
      throw new IllegalArgumentException("staleWindow: " + staleWindow + " (expected: >= 0)");
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.limits = requireNonNull(limits, "limits");
    this.staleWindow = staleWindow;
    this.clock = requireNonNull(clock, "clock");
    this.metrics = requireNonNull(metrics, "metrics");
    metrics.entries(this::size);
    metrics.bytes(this::retainedBytes);
  }

  public long now() {
    return clock.nowSeconds();
  }

  /**
   * Which names' data changed: every store, replacement, eviction and flush counts here, for what
   * is kept beside the cache and must follow it.
   */
  public CacheChanges changes() {
    return changes;
  }

  public TtlLimits limits() {
    return limits;
  }

  /** Seconds past its TTL an entry is kept for serve-stale (RFC 8767); 0 when serve-stale is off. */
  public long staleWindow() {
    return staleWindow;
  }

  public int size() {
    return entries.size() + failures.size();
  }

  /** Keys queued for eviction, those whose entry went included: what the sweep keeps short. */
  int queuedKeys() {
    synchronized (queues) {
      return leaves.size() + infrastructure.size() + failureKeys.size();
    }
  }

  /** The estimated heap of everything held ({@link RetainedBytes}); what {@code maxBytes} bounds. */
  public long retainedBytes() {
    return bytes.get();
  }

  /**
   * Stores an RRset learned from servers of {@code zone}. Fresh data of a higher rank is never
   * replaced by lower-ranked data (RFC 2181 5.4.1), so a referral cannot overwrite an answer.
   */
  public void putPositive(RRset rrset, CacheRank rank, Name zone) {
    putPositive(rrset, rank, zone, List.of());
  }

  /**
   * Stores an RRset with the {@code proofs} that came with it: the NSEC/NSEC3 records of an answer
   * expanded from a wildcard (RFC 4035 3.1.3.3), kept and expired with it.
   */
  public void putPositive(RRset rrset, CacheRank rank, Name zone, List<Record> proofs) {
    if (rrset.size() == 0) {
      return; // signatures without the RRset they cover answer nothing
    }
    long now = now();
    QuestionKey key = new QuestionKey(rrset.getName(), rrset.getType());
    Name filedUnder = zoneNames.shared(zone);
    // The entry (and its size estimate) is made only when it goes in: every referral repeats the
    // NS RRset and glue that an answer of higher rank usually holds already. A compare-and-set
    // loop rather than compute: compute took a capturing function and an array for its results
    // per store, and a placeholder node for every new name (a miss stores new names only).
    CacheEntry.Positive made = null;
    changes.starting();
    try {
      while (true) {
        CacheEntry old = entries.get(key);
        if (old instanceof CacheEntry.Positive positive && positive.isFresh(now) && !rank.atLeast(positive.rank())) {
          break;
        }
        if (made == null) {
          made = new CacheEntry.Positive(rrset, rank, filedUnder, now + limits.positive(rrset.getTTL()),
              sharedProofs.shared(proofs));
        }
        // Entries compare by identity: replace succeeds only while the entry looked at is still held.
        if (old == null ? entries.putIfAbsent(key, made) == null : entries.replace(key, old, made)) {
          counted(made, old);
          queued(key, made, old);
          break;
        }
      }
    } finally {
      changes.done();
    }
    if (rank == CacheRank.ANSWER) {
      // Looked at before it is removed: a remove takes the lock of the key's bin (and announces a
      // change) even when the name has no NXDOMAIN, as it usually has not.
      QuestionKey nxdomain = new QuestionKey(rrset.getName(), NXDOMAIN_TYPE);
      CacheEntry denial = entries.get(nxdomain);
      if (denial != null) {
        changes.starting();
        uncounted(entries.remove(nxdomain));
        changes.done();
      }
    }
    evictIfFull();
  }

  /**
   * Stores a negative answer. Its TTL is the smaller of the SOA's TTL and its MINIMUM field (RFC
   * 2308 5), capped by {@link TtlLimits#maxNegativeTtl()}.
   */
  public void putNegative(Name name, int type, boolean nxdomain, SOARecord soa, Name zone) {
    putNegative(name, type, nxdomain, soa, List.of(), zone);
  }

  /**
   * Stores a signed negative answer with its {@code proofs} (the SOA's RRSIGs, NSEC/NSEC3 and
   * their RRSIGs), kept and expired with it (RFC 4035 4.5).
   */
  public void putNegative(Name name, int type, boolean nxdomain, SOARecord soa, List<Record> proofs, Name zone) {
    long ttl = limits.negative(Math.min(soa.getTTL(), soa.getMinimum()));
    QuestionKey key = new QuestionKey(name, nxdomain ? NXDOMAIN_TYPE : type);
    CacheEntry entry = new CacheEntry.Negative(name, type, nxdomain, (SOARecord) sharedProofs.shared(soa),
        sharedProofs.shared(proofs), zoneNames.shared(zone), now() + ttl);
    changes.starting();
    try {
      CacheEntry replaced = entries.put(key, entry);
      counted(entry, replaced);
      queued(key, entry, replaced);
    } finally {
      changes.done();
    }
    evictIfFull();
  }

  /** Remembers that resolving {@code name}/{@code type} failed (RFC 9520 3.2). */
  public void putFailure(Name name, int type, Name zone, String reason) {
    putFailure(name, type, zone, reason, -1);
  }

  /**
   * Remembers a failure with the RFC 8914 EDE code its SERVFAIL carried (-1: none). It counts
   * against the cache's bounds like any entry: a flood of failures evicts.
   */
  public void putFailure(Name name, int type, Name zone, String reason, int edeCode) {
    long now = now();
    QuestionKey key = new QuestionKey(name, type);
    CacheEntry.Failure entry =
        new CacheEntry.Failure(name, type, zoneNames.shared(zone), reason, edeCode, now + limits.failureTtl());
    changes.starting();
    try {
      counted(entry, failures.put(key, entry));
    } finally {
      changes.done();
    }
    synchronized (queues) {
      failureKeys.add(key, entry.expiresAt());
      // Failures all live failureTtl: the expired ones are at the head, and go here so their queue
      // stays as short as the failures of the last failureTtl seconds.
      dropExpiredFailures(now);
    }
    evictIfFull();
  }

  /** A fresh RRset of at least {@code minRank}, or null. */
  public CacheEntry.Positive positive(Name name, int type, CacheRank minRank) {
    return positive(held(name, type), minRank);
  }

  /** A fresh NXDOMAIN for {@code name} or NODATA for {@code name}/{@code type}, or null. */
  public CacheEntry.Negative negative(Name name, int type) {
    return negative(name, held(name, type));
  }

  /**
   * What is held for {@code name}/{@code type}, fresh or not, positive or negative; null when
   * nothing. For {@link CachedAnswer}, which asks for the RRset and, when there is none, for a
   * NODATA at the same name and type: one look-up for both ({@link #positive(CacheEntry, CacheRank)},
   * {@link #negative(Name, CacheEntry)}).
   */
  CacheEntry held(Name name, int type) {
    return entries.get(new QuestionKey(name, type));
  }

  /** {@code held} when it is a fresh RRset of at least {@code minRank}, else null. */
  CacheEntry.Positive positive(CacheEntry held, CacheRank minRank) {
    if (held instanceof CacheEntry.Positive positive && positive.isFresh(now()) && positive.rank().atLeast(minRank)) {
      return positive;
    }
    return null;
  }

  /**
   * A fresh NXDOMAIN for {@code name}, else {@code heldAtType} (what {@link #held} gave for the name
   * and the type asked) when it is a fresh NODATA, else null.
   */
  CacheEntry.Negative negative(Name name, CacheEntry heldAtType) {
    long now = now();
    CacheEntry nx = entries.get(new QuestionKey(name, NXDOMAIN_TYPE));
    if (nx instanceof CacheEntry.Negative negative && negative.isFresh(now)) {
      return negative;
    }
    if (heldAtType instanceof CacheEntry.Negative negative && negative.isFresh(now)) {
      return negative;
    }
    return null;
  }

  /** A fresh failure for {@code name}/{@code type}, or null. */
  public CacheEntry.Failure failure(Name name, int type) {
    if (failures.isEmpty()) {
      return null; // the usual case, looked at first on every cache hit: no key to build and hash
    }
    CacheEntry.Failure failure = failures.get(new QuestionKey(name, type));
    return failure != null && failure.isFresh(now()) ? failure : null;
  }

  /**
   * An RRset of at least {@code minRank}, fresh or expired less than the stale window ago (RFC 8767
   * 4), or null. Only for answering when no authority answers: resolution never uses stale data.
   */
  public CacheEntry.Positive stalePositive(Name name, int type, CacheRank minRank) {
    CacheEntry entry = entries.get(new QuestionKey(name, type));
    if (entry instanceof CacheEntry.Positive positive && withinStaleWindow(positive, now())
        && positive.rank().atLeast(minRank)) {
      return positive;
    }
    return null;
  }

  /**
   * An NXDOMAIN or NODATA, fresh or expired less than the stale window ago, or null: RFC 8767 4
   * lets a resolver serve stale negative answers as well as stale data.
   */
  public CacheEntry.Negative staleNegative(Name name, int type) {
    long now = now();
    if (entries.get(new QuestionKey(name, NXDOMAIN_TYPE)) instanceof CacheEntry.Negative nx && withinStaleWindow(nx, now)) {
      return nx;
    }
    if (entries.get(new QuestionKey(name, type)) instanceof CacheEntry.Negative nodata && withinStaleWindow(nodata, now)) {
      return nodata;
    }
    return null;
  }

  private boolean withinStaleWindow(CacheEntry entry, long now) {
    return entry.expiresAt() + staleWindow > now;
  }

  /** Everything fresh, sorted by name then type, for {@code /cache}. */
  public List<CacheEntry> snapshot() {
    long now = now();
    List<CacheEntry> all = new ArrayList<>();
    for (CacheEntry entry : entries.values()) {
      if (entry.isFresh(now)) {
        all.add(entry);
      }
    }
    for (CacheEntry entry : failures.values()) {
      if (entry.isFresh(now)) {
        all.add(entry);
      }
    }
    all.sort(Comparator.comparing(CacheEntry::owner).thenComparing(e -> Type.string(e.type())));
    return all;
  }

  /** Forgets everything stored for {@code name} (every type); returns how many entries went. */
  public int flush(Name name) {
    return flush(name::equals); // Name.equals ignores case (RFC 4343)
  }

  /** Forgets everything; returns how many entries went. */
  public int flushAll() {
    sharedProofs.clear();
    return flush(name -> true);
  }

  /**
   * Forgets every entry whose owner {@code which} accepts; returns how many went. Their keys stay
   * queued until reached or swept: a flush is rare, and its cost is the walk it does anyway.
   */
  private int flush(Predicate<Name> which) {
    int removed = 0;
    for (Map<QuestionKey, ? extends CacheEntry> map : List.of(entries, failures)) {
      for (Map.Entry<QuestionKey, ? extends CacheEntry> e : map.entrySet()) {
        if (which.test(e.getKey().name()) && dropped(map, e.getKey(), e.getValue())) {
          removed++;
        }
      }
    }
    return removed;
  }

  /**
   * Whether any DNAME RRset is held, fresh, stale or expired: when none is, no name has a DNAME
   * above it to follow (RFC 6672 3.4), and a cache miss need not look for one at every ancestor.
   */
  public boolean holdsDnames() {
    return dnames.get() > 0;
  }

  /** Adds a new entry's bytes to the total, less those of the one it replaced (null: none). */
  private void counted(CacheEntry added, CacheEntry replaced) {
    bytes.addAndGet(added.retainedBytes() - (replaced == null ? 0 : replaced.retainedBytes()));
    int dnameChange = dnameCount(added) - dnameCount(replaced);
    if (dnameChange != 0) {
      dnames.addAndGet(dnameChange);
    }
    changes.changed(added.owner());
  }

  private void uncounted(CacheEntry removed) {
    if (removed != null) {
      bytes.addAndGet(-removed.retainedBytes());
      if (dnameCount(removed) != 0) {
        dnames.decrementAndGet();
      }
      changes.changed(removed.owner());
    }
  }

  /** 1 for a DNAME RRset, 0 for anything else (a NODATA for DNAME included) or none. */
  private static int dnameCount(CacheEntry entry) {
    return entry instanceof CacheEntry.Positive positive && positive.type() == Type.DNAME ? 1 : 0;
  }

  /**
   * Removes {@code key} only while it still maps to {@code value}, the entry whose bytes are taken
   * off the total: an iterator's remove() would take whatever a concurrent put left there instead.
   */
  private boolean dropped(Map<QuestionKey, ? extends CacheEntry> map, QuestionKey key, CacheEntry value) {
    changes.starting();
    try {
      if (map.remove(key, value)) {
        uncounted(value);
        return true;
      }
      return false;
    } finally {
      changes.done();
    }
  }

  private boolean full() {
    return size() > maxEntries || bytes.get() > maxBytes;
  }

  /**
   * Queues the key of an entry just stored, unless the entry it replaced expires in the same second:
   * its key, queued already, stands for the new one (every referral stores its NS set and glue
   * again). Sweeps out the keys whose entry went once they may be as many as the rest.
   */
  private void queued(QuestionKey key, CacheEntry made, CacheEntry replaced) {
    if (replaced != null && replaced.expiresAt() == made.expiresAt()) {
      return;
    }
    synchronized (queues) {
      (isInfrastructure(made) ? infrastructure : leaves).add(key, made.expiresAt());
      if (leaves.size() + infrastructure.size() > sweepAbove) {
        ExpiryQueue.Liveness<QuestionKey> held = (k, expiresAt) -> {
          CacheEntry entry = entries.get(k);
          return entry != null && entry.expiresAt() == expiresAt;
        };
        leaves.removeIf(held);
        infrastructure.removeIf(held);
        // Twice what is left: a sweep, a walk of the queues, comes once per as many inserts.
        sweepAbove = Math.max(MIN_SWEEP, 2 * (leaves.size() + infrastructure.size()));
      }
    }
  }

  /**
   * What resolution below a zone cut reads again and again (RFC 1034 5.3.3 step 2, RFC 4035 5):
   * the cut's NS set and its servers' addresses, and the DS and DNSKEY RRsets (or their absence)
   * of its chain of trust. An answer's leaf data is read for its own name only.
   */
  private static boolean isInfrastructure(CacheEntry entry) {
    if (entry instanceof CacheEntry.Positive positive && positive.rank() != CacheRank.ANSWER) {
      return true; // a referral's NS set or glue
    }
    int type = entry.type();
    return type == Type.NS || type == Type.DS || type == Type.DNSKEY;
  }

  /** Drops the failures that expired by {@code now}; the caller holds {@code queues}. */
  private void dropExpiredFailures(long now) {
    while (failureKeys.firstExpiry() <= now) {
      long expiresAt = failureKeys.firstExpiry();
      QuestionKey key = failureKeys.poll();
      CacheEntry.Failure failure = failures.get(key);
      if (failure != null && failure.expiresAt() == expiresAt) {
        dropped(failures, key, failure);
      }
    }
  }

  private void evictIfFull() {
    if (!full()) {
      return;
    }
    int target = maxEntries - maxEntries / EVICTION_BATCH_DIVISOR;
    long byteTarget = maxBytes - maxBytes / EVICTION_BATCH_DIVISOR;
    long now = now();
    int evicted = 0;
    synchronized (queues) {
      dropExpiredFailures(now);
      while (size() > target || bytes.get() > byteTarget) {
        ExpiryQueue<QuestionKey> queue = nextVictimQueue(now);
        Map<QuestionKey, ? extends CacheEntry> map = entries;
        if (failureFirst(queue, now)) {
          queue = failureKeys;
          map = failures;
        }
        if (queue.isEmpty()) {
          break;
        }
        long expiresAt = queue.firstExpiry();
        QuestionKey key = queue.poll();
        // Skipped unless the key still stands for what the cache holds (not flushed, replaced by a
        // later expiry, or evicted already); dropped() removes only the entry seen.
        CacheEntry victim = map.get(key);
        if (victim != null && victim.expiresAt() == expiresAt && dropped(map, key, victim)) {
          evicted++;
        }
      }
    }
    if (evicted > 0) {
      metrics.evicted(evicted);
    }
  }

  /**
   * Whether the oldest failure goes before the head of {@code entryQueue}: once held {@link
   * #MIN_FAILURE_SECONDS}, when it expires no later (a failure lives a few seconds, an answer
   * usually minutes: under a flood of SERVFAILs the failures push out themselves first). The
   * caller holds {@code queues}.
   */
  private boolean failureFirst(ExpiryQueue<QuestionKey> entryQueue, long now) {
    long failureExpiry = failureKeys.firstExpiry();
    return failureExpiry != Long.MAX_VALUE
        && failureExpiry - limits.failureTtl() + MIN_FAILURE_SECONDS <= now
        && failureExpiry <= entryQueue.firstExpiry();
  }

  /**
   * Leaf data goes first; infrastructure before it only when it is expired and the sooner to
   * expire (what is past the stale window, then what is stale, goes first whichever it is), or when
   * it holds more than the leaves, so that a flood of delegations cannot take the whole cache.
   */
  private ExpiryQueue<QuestionKey> nextVictimQueue(long now) {
    if (infrastructure.isEmpty()) {
      return leaves;
    }
    if (leaves.isEmpty()) {
      return infrastructure;
    }
    long infrastructureFirst = infrastructure.firstExpiry();
    boolean infrastructureFirstExpired = infrastructureFirst <= now;
    return infrastructureFirst < leaves.firstExpiry()
        && (infrastructureFirstExpired || infrastructure.size() > leaves.size()) ? infrastructure : leaves;
  }
}
