package dev.dnslab.recursor.iterator;

import dev.dnslab.core.cache.QuestionKey;
import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheFlushListener;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.transport.Timers;
import dev.dnslab.core.zone.RootHints;
import dev.dnslab.recursor.RecursorMetrics;
import dev.dnslab.core.cache.CachedAnswer;
import dev.dnslab.recursor.dnssec.AggressiveNegativeCache;
import dev.dnslab.recursor.dnssec.KeySource;
import dev.dnslab.recursor.dnssec.Security;
import dev.dnslab.recursor.dnssec.TrustAnchors;
import dev.dnslab.recursor.dnssec.Validation;
import dev.dnslab.recursor.dnssec.ValidationLimits;
import dev.dnslab.recursor.dnssec.Validator;
import dev.dnslab.recursor.trace.Priming;
import dev.dnslab.recursor.trace.Trace;
import dev.dnslab.recursor.trace.TraceRecorder;
import dev.dnslab.recursor.trace.TraceStep;
import dev.dnslab.recursor.upstream.QueryRandomiser;
import dev.dnslab.recursor.upstream.UpstreamClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Iterative resolution (RFC 1034 5.3.3) from the root hints, with everything one resolution
 * shares with the others: the cache, the upstream client, what we know of each server's speed.
 * Each call starts a {@link Resolution}, the per-query state machine. Build one with {@link
 * #builder()}:
 *
 * <pre>{@code
 * Resolver resolver = Resolver.builder()
 *     .cache(cache)
 *     .client(upstreamClient)
 *     .metrics(recursorMetrics)
 *     .rootHints(RootHints.lab(plan))
 *     .upstreamPort(plan.dnsPort())
 *     .build();
 * }</pre>
 */
public final class Resolver {
  private static final Logger log = LoggerFactory.getLogger(Resolver.class);

  private final IteratorContext context;
  private final RootPriming priming;
  // Null when serve-stale (RFC 8767) is off.
  private final StaleAnswers staleAnswers;
  // Null when DNSSEC validation is off.
  private final ValidatedAnswers validated;
  // RFC 8198: negative answers made from validated NSEC/NSEC3 records; null when validation is off.
  private final AggressiveNegativeCache aggressive;
  private final KeySource keySource;
  // Null when DNSSEC validation is off.
  private final LazyValidator validator;

  private Resolver(Builder builder) {
    this.context = new IteratorContext(
        new IteratorCache(requireNonNull(builder.cache, "cache"), builder.rootHints),
        requireNonNull(builder.client, "client"),
        builder.selector != null ? builder.selector : new ServerSelector(),
        builder.roles,
        builder.limits,
        builder.qnameMinimisation,
        builder.minimisedQueryType,
        builder.upstreamPort,
        requireNonNull(builder.metrics, "metrics"),
        new UpstreamQueryBuilder(new QueryRandomiser(), builder.dnssec),
        builder.dnssec,
        builder.trustAnchors == null ? KeyPrefetch.NONE : this::prefetchKeys);
    this.priming = new RootPriming(context);
    this.keySource = new ResolverKeySource(this::fetchKeys);
    this.aggressive = builder.trustAnchors == null ? null : new AggressiveNegativeCache(
        AggressiveNegativeCache.DEFAULT_MAX_RRSETS, builder.limits.validation(), Clock.systemUTC(),
        context.metrics().registry());
    this.validator = builder.trustAnchors == null ? null
        : new LazyValidator(builder.trustAnchors, keySource, builder.limits.validation(), builder.client::schedule);
    this.validated = validator == null ? null : new ValidatedAnswers(validator, context.metrics(), aggressive,
        builder.cache);
    // With validation on, stale data goes out only with the verdict it had when fresh: bogus data
    // never reaches a client that did not set CD (RFC 4035 5.5), stale or not. The client response
    // timers run on the loop of the resolution they wait for (the upstream client's choice), so a
    // stale answer is made and sent on the thread a fresh one would be.
    this.staleAnswers = builder.serveStale == null ? null : new StaleAnswers(builder.serveStale, builder.cache,
        builder.limits.maxCnameRestarts(), validated == null ? StaleAnswers.Judge.AS_IS : validated::judgedStale,
        builder.client::schedule);
  }

  /**
   * The validator, built on first use: the lab's anchor may be read from the root's key folder,
   * which the root server writes when it starts, maybe after us. A failed read is tried again by
   * the next question.
   */
  private static final class LazyValidator implements Supplier<Validator> {
    private final Supplier<TrustAnchors> anchors;
    private final KeySource keys;
    private final ValidationLimits limits;
    private final Timers timers;
    private volatile Validator validator;

    /**
     * @param timers the upstream client's: a key fetch is timed on the loop of the resolution that
     *     asks for it, so a validation whose fetch times out ends, and answers, on that loop
     */
    LazyValidator(Supplier<TrustAnchors> anchors, KeySource keys, ValidationLimits limits, Timers timers) {
      this.anchors = anchors;
      this.keys = keys;
      this.limits = limits;
      this.timers = timers;
    }

    @Override
    public Validator get() {
      Validator current = validator;
      if (current == null) {
        synchronized (this) {
          if (validator == null) {
            validator = new Validator(anchors.get(), keys, limits, Clock.systemUTC(), timers);
          }
          current = validator;
        }
      }
      return current;
    }

    /** The validator if it was built, else null; never builds it. */
    Validator built() {
      return validator;
    }

    /** Forgets the validated keys, if the validator was built; returns how many key-cache entries went. */
    int flushKeys() {
      Validator current = validator;
      if (current == null) {
        return 0;
      }
      int removed = current.cachedKeyEntries();
      current.flushKeys();
      return removed;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link Resolver}:
   *
   * <pre>{@code
   * Resolver resolver = Resolver.builder().cache(cache).client(upstreamClient).metrics(recursorMetrics).build();
   * }</pre>
   *
   * <p>The cache, the upstream client and the metrics have no default and must be set; everything
   * else defaults to what the embedded lab uses. Each setter checks its argument at once.
   */
  public static final class Builder {
    /** Referrals carry no ports, so every server is asked on one port: DNS's own (RFC 1035 4.2). */
    public static final int DEFAULT_UPSTREAM_PORT = AddressPlan.DEFAULT_DNS_PORT;
    /** RFC 9156 recommends QNAME minimisation; Unbound and the lab have it on by default. */
    public static final boolean DEFAULT_QNAME_MINIMISATION = true;

    private RecordCache cache;
    private UpstreamClient client;
    private RecursorMetrics metrics;
    private ServerSelector selector;
    // Outside the lab's networks a server is named after the zone it was asked about.
    private ServerRoleNamer roles = new ServerRoleNamer(List.of());
    // The embedded lab's root, like RecursorConfig's default.
    private RootHints rootHints = RootHints.lab(AddressPlan.EMBEDDED);
    private ResolutionLimits limits = ResolutionLimits.DEFAULT;
    private boolean qnameMinimisation = DEFAULT_QNAME_MINIMISATION;
    private MinimisedQueryType minimisedQueryType = MinimisedQueryType.A;
    private int upstreamPort = DEFAULT_UPSTREAM_PORT;
    private ServeStale serveStale;
    private boolean dnssec;
    private Supplier<TrustAnchors> trustAnchors;

    private Builder() {}

    /** Where answers, referrals, negative answers and failures are kept (required). */
    public Builder cache(RecordCache cache) {
      this.cache = requireNonNull(cache, "cache");
      return this;
    }

    /**
     * Sends the upstream queries, and runs serve-stale's client response timers and the validator's
     * key fetch timers on its loops (required).
     */
    public Builder client(UpstreamClient client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** The recursor's upstream and resolution meters (required). */
    public Builder metrics(RecursorMetrics metrics) {
      this.metrics = requireNonNull(metrics, "metrics");
      return this;
    }

    /** What is known of each server's speed and 0x20 support; default: a fresh one. */
    public Builder selector(ServerSelector selector) {
      this.selector = requireNonNull(selector, "selector");
      return this;
    }

    /** Names servers root, tld or authoritative in traces and metric tags. */
    public Builder roles(ServerRoleNamer roles) {
      this.roles = requireNonNull(roles, "roles");
      return this;
    }

    /** Where resolution starts when the cache knows no closer delegation. */
    public Builder rootHints(RootHints rootHints) {
      this.rootHints = requireNonNull(rootHints, "rootHints");
      return this;
    }

    public Builder limits(ResolutionLimits limits) {
      this.limits = requireNonNull(limits, "limits");
      return this;
    }

    public Builder qnameMinimisation(boolean qnameMinimisation) {
      this.qnameMinimisation = qnameMinimisation;
      return this;
    }

    /** The QTYPE of minimised queries (RFC 9156 2.1); default A, as RFC 9156 recommends. */
    public Builder minimisedQueryType(MinimisedQueryType type) {
      this.minimisedQueryType = requireNonNull(type, "type");
      return this;
    }

    public Builder upstreamPort(int upstreamPort) {
      if (upstreamPort < 1 || upstreamPort > 65535) {
        throw new IllegalArgumentException("upstreamPort: " + upstreamPort + " (expected: 1..65535)");
      }
      this.upstreamPort = upstreamPort;
      return this;
    }

    /**
     * Asks every server with DO and keeps RRSIGs, NSEC and NSEC3 with the data they sign and prove
     * (RFC 4035 4.1, 4.5), for a validator; default: off, as a resolver that does not validate has
     * no use for them.
     */
    public Builder dnssec(boolean dnssec) {
      this.dnssec = dnssec;
      return this;
    }

    /**
     * Validates every answer (RFC 4035 5) from these trust anchors, asked for when first needed;
     * turns {@link #dnssec} on. Default: no validation.
     */
    public Builder trustAnchors(Supplier<TrustAnchors> anchors) {
      this.trustAnchors = requireNonNull(anchors, "anchors");
      this.dnssec = true;
      return this;
    }

    /**
     * Serves stale answers (RFC 8767) with {@code policy}'s timers, from what the cache keeps past
     * its TTL: the cache's stale window must be at least the policy's; default: off.
     */
    public Builder serveStale(ServeStale policy) {
      this.serveStale = requireNonNull(policy, "policy");
      return this;
    }

    /** @throws NullPointerException when the cache, the client or the metrics were not set */
    public Resolver build() {
      return new Resolver(this);
    }
  }

  public RecordCache cache() {
    return context.cache().records();
  }

  /**
   * What {@code /cache/flush} also forgets when validation is on: a flush of everything forgets
   * every DNSSEC verdict, the validated DS and DNSKEY sets and the NSEC/NSEC3 proofs kept for
   * aggressive negative answers (RFC 8198), so the next answer is fetched and validated afresh
   * (after a key rollover in the lab, say); a flush of one name forgets the verdicts on that name.
   */
  public CacheFlushListener validationFlush() {
    if (validated == null) {
      return CacheFlushListener.NONE;
    }
    return new CacheFlushListener() {
      @Override
      public Map<String, Integer> flushedAll() {
        Map<String, Integer> forgot = new LinkedHashMap<>();
        forgot.put("verdicts", validated.forgetAll());
        forgot.put("keyEntries", validator.flushKeys());
        forgot.put("aggressiveRrsets", aggressive.clear());
        return forgot;
      }

      @Override
      public Map<String, Integer> flushed(Name name) {
        return Map.of("verdicts", validated.forget(name));
      }
    };
  }

  public ServerSelector selector() {
    return context.selector();
  }

  public boolean qnameMinimisation() {
    return context.qnameMinimisation();
  }

  /**
   * Primes the root NS set from the hints (RFC 9609): completes with true once it is cached, false
   * when no hinted server gave it and resolution starts from the hints. Never fails.
   */
  public CompletableFuture<Boolean> prime() {
    return priming.prime();
  }

  /** The last priming round: where resolution from the root starts, and the queries it took. */
  public Priming priming() {
    return priming.last();
  }

  /** Resolves with the cache: what a client query does after a cache miss. Never fails. */
  public CompletableFuture<Outcome> resolve(Name name, int type) {
    return resolve(name, type, false);
  }

  /**
   * Resolves with the cache and, unless {@code checkingDisabled} (the client's CD bit, RFC 4035
   * 3.2.2), validates the answer: bogus becomes SERVFAIL with its Extended DNS Error. With CD the
   * data is given unvalidated, bogus included, and never called secure. Never fails.
   */
  public CompletableFuture<Outcome> resolve(Name name, int type, boolean checkingDisabled) {
    // RFC 9609 3: prime again once the root NS set has expired; this query goes on meanwhile.
    priming.primeIfDue();
    // Unvalidated (CD) data with validation on takes the long way: it skips the verdicts, and is
    // never kept for serving stale (it could be bogus, and stale answers go to every client).
    boolean unvalidated = checkingDisabled && validated != null;
    // The cache-hit path: one cache lookup, and with validation one verdict lookup, for the answer
    // and its verdict; no resolution, no future to chain. QTYPE ANY is never answered from the
    // cache (RFC 8482, see Resolution).
    CachedAnswer cached = type == Type.ANY || unvalidated ? null : context.cache().answer(name, type,
        context.limits().maxCnameRestarts() + 1, Set.of());
    Outcome hit = cacheHit(cached);
    if (hit != null) {
      Outcome judged = validated == null ? hit : validated.judgedFromCache(name, type, hit);
      if (judged != null) {
        return judged.rcode() == Rcode.SERVFAIL && staleAnswers != null
            ? staleAnswers.freshOrStale(name, type, CompletableFuture.completedFuture(judged))
            : CompletableFuture.completedFuture(judged);
      }
    }
    // A hit without a verdict yet, or a miss: what the cache said stays true unless a bogus
    // verdict that ran out just took its names out of the cache.
    boolean cacheChanged = forgetExpiredBogus(name, type);
    if (!checkingDisabled && aggressive != null && type != Type.ANY) {
      Outcome synthesized = synthesizedNegative(name, type, cacheChanged || cached == null
          ? context.cache().answer(name, type, 1, Set.of()) : cached);
      if (synthesized != null) {
        return CompletableFuture.completedFuture(synthesized);
      }
    }
    // A plain miss (nothing at all cached for the question) is what the resolution's first step
    // would find again: it starts at the closest delegation instead of walking the cache a second
    // time (three look-ups and a walk per miss, async-profiler event=alloc).
    boolean missed = !cacheChanged && cached instanceof CachedAnswer.Miss miss && miss.chain().isEmpty();
    CompletableFuture<Outcome> fresh =
        validatedUnlessCd(name, type, checkingDisabled, resolveFresh(name, type, missed));
    return staleAnswers == null || unvalidated ? fresh : staleAnswers.freshOrStale(name, type, fresh);
  }

  /**
   * What a {@link Resolution} would answer from the cache alone for a client question, or null when
   * it would have to go upstream (a miss, a CNAME chain that ends in one) or answer a cached
   * failure (RFC 9520, explained by the resolution itself): the data with its CNAMEs, or the
   * negative answer with its SOA, as in INIT_REQUEST.
   */
  private static Outcome cacheHit(CachedAnswer cached) {
    if (cached instanceof CachedAnswer.Data data) {
      return new Outcome(Rcode.NOERROR, data.chain(), List.of(), null, true, false, data.signatures(),
          data.proofs(), Outcome.NO_EDE);
    }
    if (cached instanceof CachedAnswer.Negative negative) {
      return new Outcome(negative.nxdomain() ? Rcode.NXDOMAIN : Rcode.NOERROR, negative.chain(),
          List.of(negative.soa()), null, true, false, negative.signatures(), negative.proofs(), Outcome.NO_EDE);
    }
    return null;
  }

  /**
   * RFC 4035 4.7, RFC 9520 3.2: bogus data leaves the cache with its brief failure verdict; returns
   * whether anything left.
   */
  private boolean forgetExpiredBogus(Name name, int type) {
    if (validated == null) {
      return false;
    }
    Set<Name> names = validated.expiredFailure(name, type);
    names.forEach(context.cache().records()::flush);
    return !names.isEmpty();
  }

  /**
   * RFC 8198 5.1: on a cache miss ({@code cached}: what the cache says about the question), a
   * negative answer the validated NSEC/NSEC3 records already prove, with no upstream query; null
   * when they prove nothing. The answer is kept in the record cache like any validated negative
   * answer, with its secure verdict, so the questions after it are plain cache hits.
   */
  private Outcome synthesizedNegative(Name name, int type, CachedAnswer cached) {
    if (!(cached instanceof CachedAnswer.Miss miss) || !miss.chain().isEmpty()) {
      return null;
    }
    return aggressive.answer(name, type).map(answer -> {
      List<Record> withProofs = answer.authorityRecords(true);
      // RFC 8198 5.4: no record of the answer outlives its own TTL; the SOA carries the smallest,
      // which the record cache takes as the negative TTL (RFC 2308 5).
      long ttl = withProofs.stream().mapToLong(Record::getTTL).min().orElse(0);
      SOARecord soa = (SOARecord) answer.authorityRecords(false).get(0);
      SOARecord shortest = (SOARecord) Record.newRecord(soa.getName(), soa.getType(), soa.getDClass(), ttl,
          soa.rdataToWireCanonical());
      List<Record> proofs = withProofs.stream().filter(r -> r != soa).toList();
      Validation validation = new Validation(answer.verdict(), List.of());
      Outcome outcome = new Outcome(answer.rcode(), List.of(), List.of(shortest), null, true, false, List.of(),
          proofs, Outcome.NO_EDE, validation);
      if (ttl > 0) {
        context.cache().records().putNegative(name, type, answer.rcode() == Rcode.NXDOMAIN, shortest, proofs,
            answer.zone());
        validated.remember(name, type, outcome, validation);
      }
      return outcome;
    }).orElse(null);
  }

  /**
   * RFC 9609 3: primes again once the root NS set has expired, as {@link #resolve} does for every
   * client query; for a path that answers clients without calling it.
   */
  public void primeIfDue() {
    priming.primeIfDue();
  }

  /**
   * When the verdict an answer to {@code name}/{@code type} from the cache is given runs out (on
   * {@link System#nanoTime}'s clock; after that it is validated again), or empty when there is no
   * verdict or validation is off.
   */
  public OptionalLong verdictExpiresAtNanos(Name name, int type) {
    return validated == null ? OptionalLong.empty() : validated.verdictExpiresAtNanos(name, type);
  }

  /**
   * Counts a client's answer from the cache with the verdict its data already had, as {@link
   * #resolve} counts each one; for a path that answers such clients without calling it.
   */
  public void countVerdictFromCache(Security security) {
    if (validated != null) {
      validated.countedFromCache(security);
    }
  }

  /** Whether answers are validated (DNSSEC, RFC 4035 5). */
  public boolean validates() {
    return validated != null;
  }

  /**
   * The validator's source of DS and DNSKEY RRsets: this resolver's iterator and cache, unvalidated,
   * with DO (RFC 4035 4.2: DS from the parent side of the cut).
   */
  public KeySource keySource() {
    return keySource;
  }

  /**
   * A question resolved through the iterator and the cache, with nothing validated; the validator's
   * DS and DNSKEY fetches and the prefetches of {@link #prefetchKeys} join one another while one
   * is in flight. Never fails.
   */
  private CompletableFuture<Outcome> resolveUnvalidated(Name name, int type) {
    return joined(keyFetches, new QuestionKey(name, type), UnaryOperator.identity());
  }

  /**
   * The validator's DS or DNSKEY fetch: {@link #resolveUnvalidated}, except that a failure cached
   * for the question does not answer it ({@link Resolution#pastCachedFailure}): the validator
   * fetches only when its own failed key verdict has run out (RFC 9520 3.2, 3.4). A prefetch still
   * takes the cached failure: it is only an optimisation.
   */
  private CompletableFuture<Outcome> fetchKeys(Name name, int type) {
    return joined(keyFetches, new QuestionKey(name, type), Resolution::pastCachedFailure);
  }

  /**
   * {@link KeyPrefetch}: {@code name}/{@code type} fetched into the cache ahead of the validator,
   * unless its key cache already judged the zone at {@code name} (then it asks for none of it).
   */
  private void prefetchKeys(Name name, int type) {
    try {
      Validator current = validator.built();
      if (current == null || !current.knowsKeysOf(name)) {
        resolveUnvalidated(name, type);
      }
    } catch (RuntimeException e) {
      // Only an optimisation: the validator fetches what it needs itself.
      log.debug("prefetch of {}/{} failed", name, Type.string(type), e);
    }
  }

  private CompletableFuture<Outcome> validatedUnlessCd(Name name, int type, boolean checkingDisabled,
      CompletableFuture<Outcome> outcome) {
    if (validated == null || checkingDisabled) {
      return outcome;
    }
    return outcome.thenCompose(resolved -> validated.validate(name, type, resolved));
  }


  /** Whether stale answers (RFC 8767) are served when no authority answers. */
  public boolean servesStale() {
    return staleAnswers != null;
  }

  /** @param missed the cache was just looked at and holds nothing for the question */
  private CompletableFuture<Outcome> resolveFresh(Name name, int type, boolean missed) {
    return joined(inflight, new QuestionKey(name, type),
        missed ? Resolution::afterCacheMiss : UnaryOperator.identity());
  }

  /**
   * The resolution of {@code question} (with the cache), started unless one is already in flight
   * in {@code running}, which it then joins; {@code how} sets where it starts ({@link
   * Resolution#afterCacheMiss}, {@link Resolution#pastCachedFailure}).
   */
  private CompletableFuture<Outcome> joined(Map<QuestionKey, CompletableFuture<Outcome>> running, QuestionKey question,
      UnaryOperator<Resolution> how) {
    // Claim the question before starting, so two clients arriving at once on two event loops
    // cannot both start a walk; a stub that asks again while we are still walking joins it.
    CompletableFuture<Outcome> mine = new CompletableFuture<>();
    CompletableFuture<Outcome> joined = running.putIfAbsent(question, mine);
    if (joined != null) {
      return joined;
    }
    CompletableFuture<Outcome> started;
    try {
      Resolution resolution =
          new Resolution(context, question.name(), question.type(), true, budget(), 0, TraceWriter.NONE);
      started = how.apply(resolution).start();
    } catch (RuntimeException e) {
      running.remove(question, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    started.whenComplete((outcome, failure) -> {
      running.remove(question, mine);
      if (failure != null) {
        mine.completeExceptionally(failure);
      } else {
        mine.complete(outcome);
      }
    });
    // The claimed future, not the resolution's own: its dependents (validation, the client's
    // response) run only after the question left the in-flight map, so a client that asks again
    // as soon as it has the answer starts from the cache instead of joining a finished walk.
    return mine;
  }

  /** Client questions being resolved right now. */
  private final Map<QuestionKey, CompletableFuture<Outcome>> inflight = new ConcurrentHashMap<>();
  /** The validator's DS and DNSKEY questions, and their prefetches, being resolved right now. */
  private final Map<QuestionKey, CompletableFuture<Outcome>> keyFetches = new ConcurrentHashMap<>();

  /** How many distinct client questions are being resolved upstream at this moment. */
  public int inflightResolutions() {
    return inflight.size();
  }

  /**
   * Answers from the cache only, for a client query with RD clear (RFC 1034 4.3.1): the cached
   * data, or REFUSED when there is none. Lets a learner look into the cache with {@code dig +norec}.
   */
  public CompletableFuture<Outcome> lookUpCache(Name name, int type) {
    return lookUpCache(name, type, false);
  }

  /** {@link #lookUpCache(Name, int)}, validated unless {@code checkingDisabled} (RFC 4035 3.2.2). */
  public CompletableFuture<Outcome> lookUpCache(Name name, int type, boolean checkingDisabled) {
    return validatedUnlessCd(name, type, checkingDisabled,
        new Resolution(context, name, type, true, budget(), 0, TraceWriter.NONE).cacheOnly().start());
  }

  /** Resolves with the cache bypassed, recording every upstream step (for {@code /trace}). */
  public CompletableFuture<Trace> trace(Name name, int type) {
    TraceRecorder recorder = new TraceRecorder();
    ResolutionBudget budget = budget();
    long started = System.nanoTime();
    TraceWriter writer = new TraceWriter(recorder, context.roles(), context.upstreamPort());
    // Validated like a client's answer (with the cache bypassed for the walk, not for the keys),
    // so the trace shows what a client would get, bogus included.
    return validatedUnlessCd(name, type, false, new Resolution(context, name, type, false, budget, 0, writer).start())
        .thenApply(outcome -> withChainOfTrust(outcome, new Trace(
            new TraceStep.Question(name.toString(), Type.string(type)),
            context.qnameMinimisation(),
            Rcode.string(outcome.rcode()),
            outcome.answer().stream().map(Record::toString).toList(),
            outcome.authority().stream().map(Record::toString).toList(),
            outcome.failure(),
            null,
            budget.sent(),
            (System.nanoTime() - started) / 1e6,
            recorder.steps(),
            priming.last())));
  }

  /** The trace with its answer's chain of trust (RFC 4033 3.1), when the answer was validated. */
  private static Trace withChainOfTrust(Outcome outcome, Trace trace) {
    return outcome.validation() == null ? trace : trace.withDnssec(outcome.validation());
  }

  /** The work one client query may cause, shared by its name server lookups. */
  private ResolutionBudget budget() {
    return new ResolutionBudget(context.limits());
  }
}
