package dev.dnslab.recursor.iterator;

import dev.dnslab.core.cache.QuestionKey;
import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheEntry;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.recursor.RecursorMetrics;
import dev.dnslab.recursor.dnssec.AggressiveNegativeCache;
import dev.dnslab.recursor.dnssec.Security;
import dev.dnslab.recursor.dnssec.SignedAnswer;
import dev.dnslab.recursor.dnssec.Validation;
import dev.dnslab.recursor.dnssec.Validator;
import dev.dnslab.recursor.dnssec.Verdict;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * Validates what the iterator resolved (RFC 4035 5) and remembers each question's verdict with
 * the answer it judged, so an answer served again from the cache is not validated again while its
 * data is unchanged: a secure or insecure verdict for as long as the answer's TTL, a bogus or
 * indeterminate one only briefly (RFC 9520 3.2), after which the next client asks the validator
 * again (whose own key cache keeps the DS and DNSKEY sets, so it fetches nothing). A failure verdict
 * turns the outcome into SERVFAIL with the verdict's Extended DNS Error (RFC 8914).
 */
final class ValidatedAnswers {
  private static final Logger log = LoggerFactory.getLogger(ValidatedAnswers.class);

  /** RFC 9520 3.2 asks for at least 1 s; the recursor's own failure TTL is 5 s, so the same here. */
  static final Duration BOGUS_VERDICT_TTL = Duration.ofSeconds(5);
  /** Unbound's cache-max-ttl: no verdict outlives a day, whatever the TTLs. */
  static final long MAX_VERDICT_TTL_SECONDS = 86_400;
  /**
   * Verdicts kept however few entries the record cache holds: a verdict is about data the cache
   * holds, so there are about as many of those as cache entries (bounded by its entry count and its
   * memory bound), but a small cache's popular questions should not be validated again for that.
   */
  static final int MIN_VERDICTS = 1_000;

  /** The verdicts as metric tags, lower case, made once rather than per answer. */
  private static final Map<Security, String> SECURITY_TAGS = new EnumMap<>(Security.class);

  static {
    for (Security security : Security.values()) {
      SECURITY_TAGS.put(security, security.name().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * A question in the order its verdicts were made, with its verdict's expiry (which a re-rendered
   * verdict keeps, see {@link #known}): the entry stands for the verdict the map holds only while
   * that one has the same expiry.
   */
  private record Made(QuestionKey question, long expiresAtNanos) {}

  /** A validation, the sections it was about (Record equality ignores TTLs) and when it runs out. */
  private record Judged(Validation validation, List<Record> answer, List<Record> authority, long expiresAtNanos) {}

  private final Supplier<Validator> validator;
  private final RecursorMetrics metrics;
  private final AggressiveNegativeCache aggressive;
  private final RecordCache cache;
  // Read on every cache hit, from every event loop: no lock. A verdict replaced by a concurrent
  // one for the same data is harmless, both say the same.
  private final Map<QuestionKey, Judged> verdicts = new ConcurrentHashMap<>();
  /**
   * The questions in the order their verdicts were made, oldest first, for {@link #evict}: the
   * record cache evicts soonest to expire first, which under a flood of new names is also oldest
   * first, so the data of the oldest verdicts is what it let go. Entries whose verdict was replaced
   * or forgotten meanwhile are skipped when reached, and swept out once they are as many as the
   * rest. Guarded by itself.
   */
  private final ArrayDeque<Made> made = new ArrayDeque<>();
  /**
   * How many of {@link #verdicts} are failures, counted up after a failure is put and down after one
   * is taken out, so never below what the map holds: while it is zero, {@link #expiredFailure} (asked
   * before every resolution) looks nothing up. A failure is rare; a lookup per cache miss was not.
   */
  private final AtomicInteger failures = new AtomicInteger();

  /**
   * @param validator the engine, built when first needed (the trust anchor may not exist yet)
   * @param aggressive learns the proofs of every secure negative answer (RFC 8198)
   * @param cache the record cache whose answers are judged: the verdicts are bounded by what it holds
   */
  ValidatedAnswers(Supplier<Validator> validator, RecursorMetrics metrics, AggressiveNegativeCache aggressive,
      RecordCache cache) {
    this.validator = requireNonNull(validator, "validator");
    this.metrics = requireNonNull(metrics, "metrics");
    this.aggressive = requireNonNull(aggressive, "aggressive");
    this.cache = requireNonNull(cache, "cache");
  }

  /**
   * The outcome with its verdict; a SERVFAIL of the iterator itself, or the REFUSED of a cache-only
   * lookup that found nothing, is passed on as it is (there is nothing to validate). Never fails.
   */
  CompletableFuture<Outcome> validate(Name name, int type, Outcome outcome) {
    boolean answered = outcome.rcode() == Rcode.NOERROR || outcome.rcode() == Rcode.NXDOMAIN;
    if (!answered || outcome.stale()) {
      return CompletableFuture.completedFuture(outcome);
    }
    QuestionKey question = new QuestionKey(name, type);
    if (outcome.fromCache()) {
      Outcome judged = judgedFromCache(question, outcome);
      if (judged != null) {
        return CompletableFuture.completedFuture(judged);
      }
    }
    Validator engine;
    try {
      engine = validator.get();
    } catch (RuntimeException e) {
      // No anchor yet (the root server has not made its keys): say so rather than guess.
      log.warn("no trust anchor: {}", e.getMessage());
      Validation none = new Validation(Verdict.indeterminate(ExtendedErrorCodeOption.DNSSEC_INDETERMINATE,
          "no trust anchor to validate from: " + e.getMessage()), List.of());
      return CompletableFuture.completedFuture(judged(outcome, none));
    }
    SignedAnswer signed = SignedAnswers.of(name, type, outcome);
    return engine.validate(signed)
        .handle((validation, error) -> {
          Validation done = validation != null ? validation : new Validation(Verdict.indeterminate(
              ExtendedErrorCodeOption.DNSSEC_INDETERMINATE, "validator failed: " + error), List.of());
          remember(question, outcome, done);
          if (outcome.rcode() == Rcode.NXDOMAIN || outcome.answer().isEmpty()) {
            aggressive.learn(signed, done.verdict()); // keeps only what is secure
          }
          metrics.validation(SECURITY_TAGS.get(done.verdict().security()), "validator");
          return judged(outcome, done);
        });
  }

  /**
   * A cache hit (NOERROR or NXDOMAIN, not stale) with the verdict its data was given while it is
   * still good, or null when the validator must judge it: the client cache-hit path, one lookup.
   */
  Outcome judgedFromCache(Name name, int type, Outcome hit) {
    return judgedFromCache(new QuestionKey(name, type), hit);
  }

  private Outcome judgedFromCache(QuestionKey question, Outcome hit) {
    Validation known = known(question, hit);
    if (known == null) {
      return null;
    }
    countedFromCache(known.verdict().security());
    return judged(hit, known);
  }

  /** Counts an answer given the verdict its data already had, as every cache hit with one is. */
  void countedFromCache(Security security) {
    metrics.validation(SECURITY_TAGS.get(security), "cache");
  }

  /**
   * Keeps a verdict made elsewhere, for an answer the caller also put in the record cache: the
   * secure negative answers synthesized from validated NSEC/NSEC3 records (RFC 8198).
   */
  void remember(Name name, int type, Outcome outcome, Validation validation) {
    remember(new QuestionKey(name, type), outcome, validation);
  }

  /**
   * A stale answer (RFC 8767) with the verdict its data had when it was last validated fresh, or
   * null when there is none (or it was a failure, or judged other data): stale data cannot be
   * validated again while no authority answers, and unjudged data never goes to a client that did
   * not set CD (RFC 4035 5.5). The verdict's expiry does not matter here; the cache's stale window
   * bounds how old the data is.
   */
  Outcome judgedStale(Name name, int type, Outcome stale) {
    Judged judged = verdicts.get(new QuestionKey(name, type));
    if (judged == null || judged.validation().verdict().isFailure()
        || !judged.answer().equals(stale.answer()) || !judged.authority().equals(stale.authority())) {
      return null;
    }
    return stale.withValidation(judged.validation());
  }

  /**
   * RFC 4035 4.7 and RFC 9520 3.2: bogus data is kept only briefly. Once a question's failure
   * verdict has run out, returns the names whose cached data it judged (the question's name
   * included), for the caller to forget, so the next resolution fetches them afresh and a repaired
   * zone is seen at once; otherwise an empty set.
   */
  Set<Name> expiredFailure(Name name, int type) {
    if (failures.get() == 0) {
      return Set.of();
    }
    QuestionKey question = new QuestionKey(name, type);
    Judged judged = verdicts.get(question);
    if (judged == null || !judged.validation().verdict().isFailure()
        || System.nanoTime() - judged.expiresAtNanos() <= 0 || !removed(question, judged)) {
      return Set.of();
    }
    Set<Name> names = new LinkedHashSet<>();
    names.add(name);
    judged.answer().forEach(record -> names.add(record.getName()));
    return names;
  }

  /** How many verdicts are kept. */
  int size() {
    return verdicts.size();
  }

  /** Forgets every verdict (an operator's flush of the whole cache); returns how many went. */
  int forgetAll() {
    int removed = verdicts.size();
    cache.changes().starting();
    try {
      // One by one rather than clear(): each failure taken out is counted down (see failures).
      for (Map.Entry<QuestionKey, Judged> entry : verdicts.entrySet()) {
        if (verdicts.remove(entry.getKey(), entry.getValue())) {
          forgotten(entry.getValue());
        }
      }
      cache.changes().changedAll();
    } finally {
      cache.changes().done();
    }
    synchronized (made) {
      made.removeIf(this::replaced); // not clear(): a verdict made meanwhile keeps its place
    }
    return removed;
  }

  /** Forgets the verdicts on questions about {@code name} (every type); returns how many went. */
  int forget(Name name) {
    int removed = 0;
    for (QuestionKey question : verdicts.keySet()) {
      if (question.name().equals(name) && removed(question)) {
        removed++;
      }
    }
    return removed;
  }

  private Validation known(QuestionKey question, Outcome outcome) {
    Judged judged = verdicts.get(question);
    if (judged == null) {
      return null;
    }
    if (System.nanoTime() - judged.expiresAtNanos() > 0) {
      // An expired failure stays until expiredFailure() hands its names over for forgetting; an
      // expired good verdict stays for judgedStale() (the map is bounded, see evict) until a fresh one replaces it.
      return null;
    }
    if (!identical(judged.answer(), outcome.answer()) || !identical(judged.authority(), outcome.authority())) {
      if (!judged.answer().equals(outcome.answer()) || !judged.authority().equals(outcome.authority())) {
        removed(question, judged);
        return null;
      }
      // The same data rendered again by the cache (its TTLs count down once a second): keep the
      // new records, so the next hits compare them by identity rather than by their data.
      verdicts.replace(question, judged, new Judged(judged.validation(), outcome.answer(), outcome.authority(),
          judged.expiresAtNanos()));
    }
    return judged.validation();
  }

  /**
   * Removes the verdict on {@code question} if it is still {@code judged}; a verdict that comes or
   * goes changes the answer, so the cache's {@link dev.dnslab.core.cache.CacheChanges} hear of it.
   */
  private boolean removed(QuestionKey question, Judged judged) {
    cache.changes().starting();
    try {
      boolean removed = verdicts.remove(question, judged);
      if (removed) {
        forgotten(judged);
        cache.changes().changed(question.name());
      }
      return removed;
    } finally {
      cache.changes().done();
    }
  }

  private boolean removed(QuestionKey question) {
    cache.changes().starting();
    try {
      Judged judged = verdicts.remove(question);
      if (judged != null) {
        forgotten(judged);
        cache.changes().changed(question.name());
      }
      return judged != null;
    } finally {
      cache.changes().done();
    }
  }

  /** Counts {@code judged} out of {@link #failures} once it left the map. */
  private void forgotten(Judged judged) {
    if (judged.validation().verdict().isFailure()) {
      failures.decrementAndGet();
    }
  }

  /**
   * When the verdict on {@code name}/{@code type} runs out, on {@link System#nanoTime}'s clock, or
   * empty when there is none: an answer served from its verdict is good until then.
   */
  OptionalLong verdictExpiresAtNanos(Name name, int type) {
    Judged judged = verdicts.get(new QuestionKey(name, type));
    return judged == null ? OptionalLong.empty() : OptionalLong.of(judged.expiresAtNanos());
  }

  /** Whether both lists hold the very same record objects, in order. */
  private static boolean identical(List<Record> judged, List<Record> served) {
    int size = judged.size();
    if (size != served.size()) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (judged.get(i) != served.get(i)) {
        return false;
      }
    }
    return true;
  }

  private void remember(QuestionKey question, Outcome outcome, Validation validation) {
    long ttl = validation.verdict().isFailure() ? BOGUS_VERDICT_TTL.toSeconds()
        : Math.min(MAX_VERDICT_TTL_SECONDS, Math.min(minTtl(outcome.answer()), minTtl(outcome.authority())));
    if (ttl <= 0) {
      return;
    }
    long expires = System.nanoTime() + Duration.ofSeconds(ttl).toNanos();
    question = sharingOwner(question, outcome.answer());
    List<Record> answer = outcome.fromCache() ? outcome.answer() : sharingCachedList(outcome.answer());
    cache.changes().starting();
    try {
      if (validation.verdict().isFailure()) {
        failures.incrementAndGet(); // before the put: the count is never below what the map holds
      }
      Judged replaced = verdicts.put(question, new Judged(validation, answer, outcome.authority(), expires));
      if (replaced != null) {
        forgotten(replaced);
      }
      cache.changes().changed(question.name());
    } finally {
      cache.changes().done();
    }
    int bound = Math.max(MIN_VERDICTS, cache.size());
    synchronized (made) {
      made.addLast(new Made(question, expires));
      if (verdicts.size() > bound) {
        evict(bound - bound / 10);
      }
      if (made.size() > Math.max(MIN_VERDICTS, 2 * verdicts.size())) {
        made.removeIf(this::replaced); // a walk once per as many new verdicts as are kept
      }
    }
  }

  /**
   * Keeps the map within as many verdicts as the record cache holds entries ({@link #MIN_VERDICTS}
   * at least), down to a tenth below that, so one eviction serves many new verdicts: the oldest
   * first, and past the target every further oldest one whose data the cache no longer holds
   * (evicted by its bounds, or expired past its stale window), which would keep that data's records
   * alive for nothing. A question without a verdict is only validated again. O(1) per verdict
   * forgotten: it never walks the map (a walk per eviction cost a quarter of the recursor's CPU on
   * a flood of new names, the cache's size, and so the bound, shrinking with each of its batches).
   * The caller holds {@code made}.
   */
  private void evict(int target) {
    while (!made.isEmpty()) {
      Made oldest = made.peekFirst();
      Judged judged = verdicts.get(oldest.question());
      boolean current = judged != null && judged.expiresAtNanos() == oldest.expiresAtNanos();
      if (current && verdicts.size() <= target && cached(oldest.question(), judged)) {
        return;
      }
      made.pollFirst();
      if (current) {
        removed(oldest.question(), judged);
      }
    }
  }

  /** Whether the verdict {@code entry} was queued for is no longer the one the map holds. */
  private boolean replaced(Made entry) {
    Judged judged = verdicts.get(entry.question());
    return judged == null || judged.expiresAtNanos() != entry.expiresAtNanos();
  }

  /**
   * Whether the record cache still holds the data a verdict judged, fresh or within its stale
   * window: the answer's first RRset (at the question's name, or the CNAME or DNAME it starts with),
   * or for an empty answer the NXDOMAIN or NODATA entry.
   */
  private boolean cached(QuestionKey question, Judged judged) {
    if (judged.answer().isEmpty()) {
      return cache.staleNegative(question.name(), question.type()) != null;
    }
    Record first = judged.answer().get(0);
    return cache.stalePositive(first.getName(), first.getType(), CacheRank.GLUE) != null;
  }

  /**
   * The question with its name the very instance the answer's first record (the one the record
   * cache holds) is owned by, when they are the same name (RFC 4343: case aside): a verdict is
   * kept as long as that data, so under a flood of new names a copy of each name from the client's
   * query (~80 bytes of heap) would be kept beside it for nothing.
   */
  static QuestionKey sharingOwner(QuestionKey question, List<Record> answer) {
    if (answer.isEmpty()) {
      return question;
    }
    Name owner = answer.get(0).getName();
    return owner != question.name() && owner.equals(question.name()) ? new QuestionKey(owner, question.type()) : question;
  }

  /**
   * The record cache's own list of {@code answer}'s records when it holds them as one RRset (the
   * very record objects, in the same order), else {@code answer}. A resolution's outcome carries a
   * list of its own of the records it stored, and a verdict kept on it would keep that list (24
   * bytes for a one-record answer, on every name of a flood of new ones) beside the entry's for as
   * long as both live; from the cache, the outcome's list is the entry's already.
   */
  private List<Record> sharingCachedList(List<Record> answer) {
    if (answer.isEmpty()) {
      return answer;
    }
    Record first = answer.get(0);
    CacheEntry.Positive held = cache.positive(first.getName(), first.getType(), CacheRank.ANSWER);
    return held != null && identical(held.records(), answer) ? held.records() : answer;
  }

  /** How many failure verdicts the count says are kept: for tests. */
  int failuresCounted() {
    return failures.get();
  }

  /** The answer section the verdict on {@code name}/{@code type} judged, or null: for tests. */
  List<Record> judgedAnswer(Name name, int type) {
    Judged judged = verdicts.get(new QuestionKey(name, type));
    return judged == null ? null : judged.answer();
  }

  private static long minTtl(List<Record> records) {
    long min = Long.MAX_VALUE; // a loop, not a stream: once per validated answer
    // By index: the list's iterator was not optimised away (async-profiler, event=alloc).
    for (int i = 0, n = records.size(); i < n; i++) {
      min = Math.min(min, records.get(i).getTTL());
    }
    return min;
  }

  /**
   * RFC 4035 5.5: bogus data is never given to a client that did not set CD; nor is data the
   * validator could not judge (indeterminate). The verdict's EDE explains the SERVFAIL.
   */
  private static Outcome judged(Outcome outcome, Validation validation) {
    Verdict verdict = validation.verdict();
    if (!verdict.isFailure()) {
      return outcome.withValidation(validation);
    }
    int code = verdict.edeCode() == Verdict.NO_EDE ? ExtendedErrorCodeOption.DNSSEC_BOGUS : verdict.edeCode();
    log.debug("{} answer: {}", verdict.security(), verdict.reason());
    return Outcome.servfail(code, verdict.reason(), outcome.fromCache()).withValidation(validation);
  }
}
