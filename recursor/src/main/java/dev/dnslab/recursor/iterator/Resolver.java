package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheEntry;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.recursor.RecursorMetrics;
import dev.dnslab.recursor.RootHints;
import dev.dnslab.recursor.trace.Trace;
import dev.dnslab.recursor.trace.TraceRecorder;
import dev.dnslab.recursor.trace.TraceStep;
import dev.dnslab.recursor.upstream.QueryRandomiser;
import dev.dnslab.recursor.upstream.UpstreamClient;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Iterative resolution (RFC 1034 5.3.3) from the root hints, with everything one resolution
 * shares with the others: the cache, the upstream client, what we know of each server's speed.
 * Each call starts a {@link Resolution}, the per-query state machine.
 */
public final class Resolver {
  final RecordCache cache;
  final UpstreamClient client;
  final ServerSelector selector;
  final ServerRoleNamer roles;
  final RootHints hints;
  final ResolutionLimits limits;
  final boolean qnameMinimisation;
  final int upstreamPort;
  final RecursorMetrics metrics;
  final QueryRandomiser randomiser = new QueryRandomiser();

  public Resolver(RecordCache cache, UpstreamClient client, ServerSelector selector, ServerRoleNamer roles,
      RootHints hints, ResolutionLimits limits, boolean qnameMinimisation, int upstreamPort,
      RecursorMetrics metrics) {
    this.cache = requireNonNull(cache, "cache");
    this.client = requireNonNull(client, "client");
    this.selector = requireNonNull(selector, "selector");
    this.roles = requireNonNull(roles, "roles");
    this.hints = requireNonNull(hints, "hints");
    this.limits = requireNonNull(limits, "limits");
    this.qnameMinimisation = qnameMinimisation;
    if (upstreamPort < 1 || upstreamPort > 65535) {
      throw new IllegalArgumentException("upstreamPort: " + upstreamPort + " (expected: 1..65535)");
    }
    this.upstreamPort = upstreamPort;
    this.metrics = requireNonNull(metrics, "metrics");
  }

  public RecordCache cache() {
    return cache;
  }

  public ServerSelector selector() {
    return selector;
  }

  public boolean qnameMinimisation() {
    return qnameMinimisation;
  }

  /** Resolves with the cache: what a client query does after a cache miss. Never fails. */
  public CompletableFuture<Outcome> resolve(Name name, int type) {
    Question question = new Question(name, type);
    // Claim the question before starting, so two clients arriving at once on two event loops
    // cannot both start a walk; a stub that asks again while we are still walking joins it.
    CompletableFuture<Outcome> mine = new CompletableFuture<>();
    CompletableFuture<Outcome> running = inflight.putIfAbsent(question, mine);
    if (running != null) {
      return running;
    }
    CompletableFuture<Outcome> started;
    try {
      started = new Resolution(this, name, type, true, new ResolutionBudget(limits), 0, null).start();
    } catch (RuntimeException e) {
      inflight.remove(question, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    started.whenComplete((outcome, failure) -> {
      inflight.remove(question, mine);
      if (failure != null) {
        mine.completeExceptionally(failure);
      } else {
        mine.complete(outcome);
      }
    });
    return started;
  }

  /** Client questions being resolved right now; Name equality ignores case, as DNS does. */
  private record Question(Name name, int type) {}

  private final java.util.Map<Question, CompletableFuture<Outcome>> inflight =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** How many distinct client questions are being resolved upstream at this moment. */
  public int inflightResolutions() {
    return inflight.size();
  }

  /**
   * Answers from the cache only, for a client query with RD clear (RFC 1034 4.3.1): the cached
   * data, or REFUSED when there is none. Lets a learner look into the cache with {@code dig +norec}.
   */
  public CompletableFuture<Outcome> lookUpCache(Name name, int type) {
    return new Resolution(this, name, type, true, new ResolutionBudget(limits), 0, null).cacheOnly().start();
  }

  /** Resolves with the cache bypassed, recording every upstream step (for {@code /trace}). */
  public CompletableFuture<Trace> trace(Name name, int type) {
    TraceRecorder recorder = new TraceRecorder();
    ResolutionBudget budget = new ResolutionBudget(limits);
    long started = System.nanoTime();
    return new Resolution(this, name, type, false, budget, 0, recorder)
        .start()
        .thenApply(outcome -> new Trace(
            new TraceStep.Question(name.toString(), Type.string(type)),
            qnameMinimisation,
            Rcode.string(outcome.rcode()),
            outcome.answer().stream().map(Record::toString).toList(),
            outcome.authority().stream().map(Record::toString).toList(),
            outcome.failure(),
            budget.sent(),
            (System.nanoTime() - started) / 1e6,
            recorder.steps()));
  }

  /** Looks up a name server's addresses as a dependent resolution sharing the client's budget. */
  CompletableFuture<List<InetAddress>> resolveAddress(
      Name nameServer, ResolutionBudget budget, int depth, boolean useCache, TraceRecorder trace) {
    return new Resolution(this, nameServer, Type.A, useCache, budget, depth, trace)
        .start()
        .thenApply(outcome -> outcome.answer().stream()
            .filter(r -> r instanceof ARecord || r instanceof AAAARecord)
            .map(r -> r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress())
            .toList());
  }

  /**
   * The deepest zone cut above {@code name} the cache knows with at least one server address, or
   * the root hints (RFC 1034 5.3.3 step 2: "find the best servers to ask").
   */
  DelegationPoint closestDelegation(Name name, boolean useCache) {
    if (useCache) {
      for (int strip = 0; strip < name.labels() - 1; strip++) {
        Name zone = new Name(name, strip);
        CacheEntry.Positive ns = cache.positive(zone, Type.NS, CacheRank.REFERRAL);
        if (ns == null) {
          continue;
        }
        DelegationPoint dp = new DelegationPoint(zone);
        for (Record record : ns.rrset().rrs(false)) {
          Name target = ((NSRecord) record).getTarget();
          dp.addNameServer(target);
          CacheEntry.Positive a = cache.positive(target, Type.A, CacheRank.GLUE);
          if (a != null) {
            a.rrset().rrs(false).forEach(r -> dp.addAddress(target, ((ARecord) r).getAddress()));
          }
        }
        if (dp.hasAddresses()) {
          return dp;
        }
      }
    }
    return hints.delegationPoint();
  }
}
