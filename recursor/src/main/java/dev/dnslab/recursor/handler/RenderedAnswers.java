package dev.dnslab.recursor.handler;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheChanges;
import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.wire.AnswerTemplate;
import dev.dnslab.core.wire.PlainQuery;
import dev.dnslab.recursor.RecursorMetrics;
import dev.dnslab.recursor.dnssec.Security;
import dev.dnslab.recursor.iterator.Outcome;
import dev.dnslab.recursor.iterator.Resolver;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The recursor's cache hits rendered to wire format, as {@link RecursionHandler} answered them, for
 * {@link CacheHitShortcut} to send again without the handler chain: Unbound's and Knot Resolver's
 * way of answering the same question many times (issue 16: parsing each query and rendering each
 * hit were most of a hit's cost).
 *
 * <p>An answer is kept per question (name in lower case, type) and per query flag that changes it:
 * DO (RRSIGs and proofs, RFC 4035 3.2.1), AD on the query (RFC 6840 5.7: AD on a secure answer) and
 * CD (only while validation is off: with it on, CD takes another path). It is given again only
 * while the chain would give the very same bytes:
 *
 * <ul>
 *   <li>TTLs: the record cache counts every TTL down on one whole-second clock, so an answer kept
 *       at second {@code s} is the chain's answer at second {@code s + age} with every TTL {@code
 *       age} lower, until its smallest TTL runs out (then the chain's data is not fresh either);
 *   <li>the data: any store, replacement, eviction or flush of a name it holds (the question, each
 *       owner and each CNAME target of the answer, where NXDOMAIN/NODATA entries of a chain end
 *       live), or a verdict on the question made or forgotten, counts on that name's {@link
 *       CacheChanges} stripe, and the answer is dropped when one of its stripes moved;
 *   <li>the verdict: with validation on, the answer lives no longer than the verdict it was given
 *       (after that the chain validates again).
 * </ul>
 *
 * Only what the one-lookup cache-hit path gave is kept: NOERROR and NXDOMAIN from the cache, fresh
 * (no serve-stale answer), with nothing to explain in an Extended DNS Error, with RD set (RD clear
 * takes the cache-only path), and without a DNAME (the CNAME synthesised from it carries the
 * client's spelling inside its data, which a rendered answer cannot respell). The answers held are
 * bounded by {@link #MAX_BYTES}, apart from the record cache's own bound, and swept of those that can
 * never be given again once the cache has changed as many times as answers are held (see {@link
 * #sweepIfDue}).
 */
public final class RenderedAnswers {
  /**
   * The most heap the rendered answers hold, estimated. The Zipf-popular names are most of the
   * hits: 4 MiB keeps ~16,000 answers of an unsigned A record, ~6,000 with RRSIGs.
   */
  static final long MAX_BYTES = 4L * 1024 * 1024;
  /** An answer's heap besides its bytes: the map node, key, entry, stripes and stamps. */
  static final int ENTRY_OVERHEAD = 240;
  /**
   * The fewest changes of the cache between two sweeps, however few answers are held: a sweep is a
   * walk of the whole map, so a handful of answers is not walked again at every other change.
   */
  public static final int MIN_SWEEP_CHANGES = 4_096;

  private static final int DO = 1;
  private static final int AD = 2;
  private static final int CD = 4;

  private final Resolver resolver;
  private final RecordCache cache;
  private final CacheChanges changes;
  private final CacheMetrics cacheMetrics;
  private final Map<Key, Answer> answers = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  /** The cache's count of changes when the answers were last swept. */
  private final AtomicLong sweptAt = new AtomicLong();
  private final LongAdder given = new LongAdder();
  private final LongAdder kept = new LongAdder();
  private final LongAdder[] dropped = new LongAdder[Drop.values().length];
  private final LongAdder swept = new LongAdder();

  public RenderedAnswers(Resolver resolver, CacheMetrics cacheMetrics) {
    this.resolver = requireNonNull(resolver, "resolver");
    this.cache = resolver.cache();
    this.changes = cache.changes();
    this.cacheMetrics = requireNonNull(cacheMetrics, "cacheMetrics");
    for (int i = 0; i < dropped.length; i++) {
      dropped[i] = new LongAdder();
    }
  }

  /**
   * Counts on {@code registry} what happens to the rendered answers, {@code
   * dns_recursor_rendered_answers_total{event}}: given (a hit answered from here), kept (a hit the
   * chain answered, rendered for the next time), each reason one was dropped when its question
   * came again (or, for the bound, when another was kept), and swept: dropped by {@link
   * #sweepIfDue} before its question came again, whatever the reason. A hit of the chain that was
   * not kept was the first of its question, or came after a drop. Read off the counters that exist
   * anyway, so a hit costs no more for it.
   */
  public void countOn(MeterRegistry registry) {
    event(registry, "given", given);
    event(registry, "kept", kept);
    for (Drop drop : Drop.values()) {
      event(registry, drop.event, dropped[drop.ordinal()]);
    }
    event(registry, "swept", swept);
  }

  private static void event(MeterRegistry registry, String event, LongAdder count) {
    FunctionCounter.builder(RecursorMetrics.RENDERED_ANSWERS, count, LongAdder::sum)
        .description("Cache hits answered from their rendered wire form, kept so, and dropped (by reason)")
        .tag("event", event)
        .register(registry);
  }

  /** How many answers were given from here, not from the chain. */
  public long given() {
    return given.sum();
  }

  /** How many rendered answers are held (some may no longer be good). */
  public int size() {
    return answers.size();
  }

  /** The estimated heap the rendered answers hold. */
  public long retainedBytes() {
    return bytes.get();
  }

  /** The second of the record cache's clock, for {@link #lookUp}. */
  long now() {
    return cache.now();
  }

  /**
   * The answer kept for {@code query} while it is still the chain's at second {@code now}, or null.
   * The caller renders its {@link Answer#template} {@link Answer#age} seconds older and, when it
   * sends it, counts it with {@link #counted}.
   */
  Answer lookUp(PlainQuery query, long now) {
    if (query.dclass() != DClass.IN || !query.recursionDesired()) {
      return null;
    }
    boolean checkingDisabled = query.checkingDisabled();
    if (checkingDisabled && resolver.validates()) {
      return null;
    }
    // Keyed on the query's own name, in the client's spelling: the key compares names ignoring
    // case (RFC 4343), so no lower-case copy is made per lookup.
    Key key = new Key(query.name(), query.type(),
        flags(query.dnssecOk(), query.authenticData(), checkingDisabled));
    Answer answer = answers.get(key);
    if (answer == null) {
      return null;
    }
    Drop drop = answer.drop(now, changes);
    if (drop != null) {
      if (answers.remove(key, answer)) {
        bytes.addAndGet(-answer.retainedBytes());
        dropped[drop.ordinal()].increment();
      }
      return null;
    }
    return answer;
  }

  /**
   * Counts an answer given from here as the chain counts a cache hit: the cache's hit and, with
   * validation, the verdict the data already had.
   */
  void counted(Answer answer) {
    given.increment();
    cacheMetrics.hit();
    if (answer.security != null) {
      resolver.countVerdictFromCache(answer.security);
    }
  }

  /**
   * For {@link RecursionHandler}, before it looks the question up: where to offer the answer it
   * gives, or null when a query of this shape is never kept. Whether its answer is kept already is
   * asked only when one is offered: most questions that reach the handler are not in the cache, and
   * their answers are never offered (the key's wire copy of the name and its look-up were made per
   * miss for nothing).
   */
  Capture capture(DnsRequest request) {
    Message query = request.query();
    Header header = query.getHeader();
    Record question = request.question();
    boolean checkingDisabled = header.getFlag(Flags.CD);
    if (!header.getFlag(Flags.RD) || question.getDClass() != DClass.IN || question.getType() == Type.ANY
        || checkingDisabled && resolver.validates()) {
      return null;
    }
    sweepIfDue();
    OPTRecord opt = query.getOPT();
    boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    return new Capture(question.getName(), question.getType(),
        flags(dnssecOk, header.getFlag(Flags.AD), checkingDisabled), changes.settled(), cache.now());
  }

  /**
   * Drops the answers that can never be given again, once the cache has announced more changes
   * since the last sweep than answers are held (and {@link #MIN_SWEEP_CHANGES} at least): a kept
   * answer is otherwise dropped only when its own question comes again, so after a flood of new
   * names had evicted the popular names' data, ~9,700 answers (~3.5 MiB of heap after
   * bench/recursor/run.sh's hits and unsigned misses) stayed for questions that did not come back.
   * Whether an answer is still good only ever turns from yes to no (its TTLs run out; a stripe's
   * count and the clocks only grow), so dropping it early changes no answer given. Called from
   * {@link #capture}, which every query that reaches the chain passes, so a flood of misses is
   * what sweeps; one walk per as many changes as answers held is O(1) per change. A concurrent
   * caller that loses the race for {@link #sweptAt} leaves the walk to the winner.
   */
  private void sweepIfDue() {
    long started = changes.started();
    long last = sweptAt.get();
    long since = started - last;
    if (since <= MIN_SWEEP_CHANGES || since <= answers.size() || !sweptAt.compareAndSet(last, started)) {
      return;
    }
    long now = cache.now();
    for (Map.Entry<Key, Answer> e : answers.entrySet()) {
      Answer answer = e.getValue();
      if (answer.drop(now, changes) != null && answers.remove(e.getKey(), answer)) {
        bytes.addAndGet(-answer.retainedBytes());
        swept.increment();
      }
    }
  }

  private static int flags(boolean dnssecOk, boolean authenticData, boolean checkingDisabled) {
    return (dnssecOk ? DO : 0) | (authenticData ? AD : 0) | (checkingDisabled ? CD : 0);
  }

  private void keep(Key key, Answer answer) {
    Answer replaced = answers.put(key, answer);
    kept.increment();
    bytes.addAndGet(answer.retainedBytes() - (replaced == null ? 0 : replaced.retainedBytes()));
    if (bytes.get() > MAX_BYTES) {
      // Down to a tenth below the bound, in the map's order: an answer dropped is only rendered again.
      // The bench's hits mix (12,000 names, Zipf) never gets here: it keeps ~10,000 answers, ~3 MiB.
      Iterator<Map.Entry<Key, Answer>> all = answers.entrySet().iterator();
      while (bytes.get() > MAX_BYTES - MAX_BYTES / 10 && all.hasNext()) {
        Map.Entry<Key, Answer> e = all.next();
        if (answers.remove(e.getKey(), e.getValue())) {
          bytes.addAndGet(-e.getValue().retainedBytes());
          dropped[Drop.BOUND.ordinal()].increment();
        }
      }
    }
  }

  /** One question's answer as {@link RecursionHandler} gave it: offered to {@link #offer}. */
  final class Capture {
    private final Name name;
    private final int type;
    private final int flags;
    private final long changesSeen;
    private final long second;

    private Capture(Name name, int type, int flags, long changesSeen, long second) {
      this.name = name;
      this.type = type;
      this.flags = flags;
      this.changesSeen = changesSeen;
      this.second = second;
    }

    /**
     * Keeps {@code response}, the handler's answer from {@code outcome} before the EDNS handler adds
     * its OPT, when it is a plain cache hit (see the class comment) and nothing in the cache
     * changed while it was looked up and made.
     */
    void offer(Outcome outcome, Message response) {
      int rcode = outcome.rcode();
      if (!outcome.fromCache() || outcome.stale() || rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
        return;
      }
      for (Record record : outcome.answer()) {
        if (record.getType() == Type.DNAME) {
          return;
        }
      }
      Key key = new Key(name.toWireCanonical(), type, flags);
      Answer kept = answers.get(key);
      if (kept != null && kept.drop(second, changes) == null) {
        return; // kept already, and still what the chain gives
      }
      Security security = null;
      long verdictExpires = 0;
      if (resolver.validates()) {
        OptionalLong expires = resolver.verdictExpiresAtNanos(name, type);
        if (outcome.verdict() == null || expires.isEmpty()) {
          return;
        }
        security = outcome.verdict().security();
        verdictExpires = expires.getAsLong();
      }
      AnswerTemplate template = AnswerTemplate.bytesOnly(response);
      if (template == null || template.minTtl() <= 0) {
        return;
      }
      int[] stripes = stripes(outcome);
      long[] stamps = new long[stripes.length];
      for (int i = 0; i < stripes.length; i++) {
        stamps[i] = changes.stamp(stripes[i]);
      }
      // The stamps describe the data looked up only if no change was under way before the lookup
      // (settled) and none started since,
      // and the TTLs are those of `second` only if the clock did not move meanwhile.
      if (changes.started() != changesSeen || cache.now() != second) {
        return;
      }
      keep(key, new Answer(template, second, security, resolver.validates(), verdictExpires, stripes, stamps,
          key.name.length));
    }

    /** The stripes of every name whose cached data the answer is made of. */
    private int[] stripes(Outcome outcome) {
      int[] stripes = new int[1 + 2 * outcome.answer().size()];
      int count = 0;
      stripes[count++] = changes.stripe(name);
      for (Record record : outcome.answer()) {
        stripes[count++] = changes.stripe(record.getName());
        if (record instanceof CNAMERecord cname) {
          stripes[count++] = changes.stripe(cname.getTarget());
        }
      }
      return Arrays.stream(stripes, 0, count).distinct().toArray();
    }
  }

  /** A kept answer. */
  static final class Answer {
    private final AnswerTemplate template;
    private final long second;
    private final Security security;
    private final boolean hasVerdict;
    private final long verdictExpiresAtNanos;
    private final int[] stripes;
    private final long[] stamps;
    private final long retainedBytes;
    private final long minTtl;

    private Answer(AnswerTemplate template, long second, Security security, boolean hasVerdict,
        long verdictExpiresAtNanos, int[] stripes, long[] stamps, int keyLength) {
      this.template = template;
      this.second = second;
      this.security = security;
      this.hasVerdict = hasVerdict;
      this.verdictExpiresAtNanos = verdictExpiresAtNanos;
      this.stripes = stripes;
      this.stamps = stamps;
      this.retainedBytes = ENTRY_OVERHEAD + template.length() + keyLength + 12L * stripes.length;
      this.minTtl = template.minTtl();
    }

    long retainedBytes() {
      return retainedBytes;
    }

    /** The rendered answer, with every TTL counted down by its age; see {@link AnswerTemplate}. */
    AnswerTemplate template() {
      return template;
    }

    /** Seconds from when it was rendered to {@code now}: what to take off every TTL. */
    long age(long now) {
      return now - second;
    }

    int rcode() {
      return template.rcode();
    }

    /** Null while at second {@code now} it is still what the chain gives, else why it is not. */
    private Drop drop(long now, CacheChanges changes) {
      long age = now - second;
      if (age < 0 || age >= minTtl) {
        return Drop.EXPIRED;
      }
      for (int i = 0; i < stripes.length; i++) {
        if (changes.stamp(stripes[i]) != stamps[i]) {
          return Drop.CHANGED;
        }
      }
      if (hasVerdict && System.nanoTime() - verdictExpiresAtNanos >= 0) {
        return Drop.VERDICT_EXPIRED;
      }
      return null;
    }
  }

  /**
   * A question and the query flags that change its answer. The name is in wire form, in any case:
   * hashed and compared in lower case (RFC 4343; label lengths, at most 63, are never ASCII
   * letters), so the query's own bytes serve as a lookup key.
   */
  static final class Key {
    private final byte[] name;
    private final int type;
    private final int flags;
    private final int hash;

    Key(byte[] name, int type, int flags) {
      this.name = name;
      this.type = type;
      this.flags = flags;
      int h = 1;
      for (byte b : name) {
        h = 31 * h + lower(b);
      }
      this.hash = (h * 31 + type) * 31 + flags;
    }

    private static int lower(byte b) {
      return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key other) || other.hash != hash || other.type != type || other.flags != flags
          || other.name.length != name.length) {
        return false;
      }
      for (int i = 0; i < name.length; i++) {
        if (lower(other.name[i]) != lower(name[i])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * Why a kept answer was dropped when its question came again (the bound: when another was kept):
   * {@code dns_recursor_rendered_answers_total{event}}. Those the sweep drops count as swept.
   */
  enum Drop {
    /** Its smallest TTL ran out (the chain's data is not fresh either). */
    EXPIRED("expired"),
    /** A name it is made of changed in the cache, or a verdict on the question came or went. */
    CHANGED("changed"),
    /** Its verdict's time ran out: the chain validates again. */
    VERDICT_EXPIRED("verdict_expired"),
    /** Dropped to keep the rendered answers within {@link #MAX_BYTES}. */
    BOUND("evicted");

    private final String event;

    Drop(String event) {
      this.event = event;
    }
  }
}
