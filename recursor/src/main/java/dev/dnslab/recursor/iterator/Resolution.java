package dev.dnslab.recursor.iterator;

import dev.dnslab.core.cache.CacheEntry;
import dev.dnslab.core.cache.CachedAnswer;
import dev.dnslab.core.server.Transport;
import dev.dnslab.recursor.limit.Limit;
import dev.dnslab.recursor.trace.TraceOutcome;
import dev.dnslab.recursor.upstream.UpstreamBlockedException;
import dev.dnslab.recursor.upstream.UpstreamReply;
import dev.dnslab.recursor.upstream.UpstreamTimeoutException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One resolution: the iterator state machine of RFC 1034 5.3.3 for one question, after Unbound's
 * {@code iterator.c}. Each state is one method that returns the next state; the query is built by
 * {@link UpstreamQueryBuilder}, the name to ask chosen by {@link QnameMinimiser}, the reply sorted
 * by {@link ReplyClassifier}, the cache written through {@link IteratorCache} and each exchange
 * traced by {@link TraceWriter}. It runs until it has to wait for the network, and the reply's
 * callback runs it on from there; one resolution never has more than one query in flight, so its
 * fields need no locks.
 */
final class Resolution {
  private static final Logger log = LoggerFactory.getLogger(Resolution.class);

  private final IteratorContext context;
  private final Name qname;
  private final int qtype;
  private final boolean useCache;
  private boolean cacheOnly;
  // The caller found nothing cached for the question: the first INIT_REQUEST does not look again.
  private boolean cacheMissed;
  // A failure cached for the question itself does not answer it (the validator's key fetches).
  private boolean pastCachedFailure;
  private final ResolutionBudget budget;
  private final int depth;
  private final TraceWriter trace;
  private final QnameMinimiser minimiser;
  private final CompletableFuture<Outcome> result = new CompletableFuture<>();

  private final List<Record> answer = new ArrayList<>();
  // The RRSIGs over the answer's RRsets (RFC 4035 3.1.1), kept apart so that clients without DO never see them.
  private final List<Record> answerSignatures = new ArrayList<>();
  // The asked name and each CNAME target: one name for most questions, so a small table.
  private final Set<Name> visitedNames = new HashSet<>(4);
  private IteratorState state = IteratorState.INIT_REQUEST;
  private Name current;
  private int restarts;
  private int referrals;
  private DelegationPoint delegation;
  // What each server of the delegation did wrong: the Extended DNS Error of a SERVFAIL (RFC 8914).
  private ServerProblems problems;

  // The exchange in flight, set when QUERY_TARGETS sends and read by QUERY_RESPONSE.
  private Exchange sent;
  private UpstreamReply reply;
  private Throwable failure;

  // What QUERY_RESPONSE found, for FOLLOW_REFERRAL.
  private Classification.Referral referral;
  // What FOLLOW_REFERRAL would have the validator's keys fetched, for run() to start once the
  // walk's next query is on its way.
  private Runnable keysToPrefetch;

  // How FINISHED answers.
  private int rcode = Rcode.NOERROR;
  private List<Record> authority = List.of();
  // The SOA's RRSIGs and the NSEC/NSEC3 records of a negative answer (RFC 4035 3.1.3), and the
  // wildcard proofs of each link of the answer (RFC 4035 3.1.3.3).
  private final List<Record> proofs = new ArrayList<>();
  private String failureReason;
  private int edeCode = Outcome.NO_EDE;
  private boolean fromCache = true;
  // Why the servers of the current delegation could not be asked (cycles, failed address lookups).
  private final List<String> unreachableBecause = new ArrayList<>();

  Resolution(IteratorContext context, Name qname, int qtype, boolean useCache, ResolutionBudget budget, int depth,
      TraceWriter trace) {
    this.context = context;
    this.qname = qname;
    this.qtype = qtype;
    this.useCache = useCache;
    this.budget = budget;
    this.depth = depth;
    this.trace = trace;
    this.minimiser = new QnameMinimiser(context.qnameMinimisation());
    this.current = qname;
  }

  /** Answers from the cache alone (a client query with RD clear, RFC 1034 4.3.1). */
  Resolution cacheOnly() {
    this.cacheOnly = true;
    return this;
  }

  /**
   * Starts past the cache look-up of the first INIT_REQUEST: the caller has just made it, for the
   * question as asked, and the cache held nothing at all for it (no data, CNAME, negative answer,
   * failure or DNAME above it). Only for that first step: a CNAME's target is looked up as ever.
   * Should a resolution of the same question store its answer between the caller's look-up and
   * this start, this one asks the authority once more, as two resolutions started together would.
   */
  Resolution afterCacheMiss() {
    this.cacheMissed = true;
    return this;
  }

  /**
   * Asks upstream even when the cache holds a resolution failure of the question itself (a
   * failure at a CNAME target or a name server's address still answers). For the validator's DS
   * and DNSKEY fetches: its key cache keeps the failed key verdict (RFC 9520 3.4) for at least a
   * second, doubling while retries fail again (3.2), and fetches only once that has run out, so
   * each fetch is the back-off's retry. Answered from the 5 s failure of the answer cache
   * instead, the retry never asked, counted as failing again and doubled the back-off: the zone
   * stayed failed for seconds after its DNSKEY replies came back.
   */
  Resolution pastCachedFailure() {
    this.pastCachedFailure = true;
    return this;
  }

  CompletableFuture<Outcome> start() {
    run();
    return result;
  }

  /**
   * Runs states until one waits for the network (returns null) or the resolution is finished. A
   * state that returns null has handed the machine to its callback, which may already be running
   * on another thread: from then on this thread must not touch any field.
   */
  private void run() {
    Runnable prefetch = null;
    try {
      IteratorState next = state;
      while (next != null && !result.isDone()) {
        next = step(next);
        if (next != null) {
          state = next;
        }
        if (keysToPrefetch != null) {
          if (prefetch != null) {
            prefetch.run();
          }
          prefetch = keysToPrefetch;
          keysToPrefetch = null;
        }
      }
    } catch (RuntimeException e) {
      log.warn("resolution of {}/{} failed", qname, Type.string(qtype), e);
      result.complete(Outcome.servfail(ExtendedErrorCodeOption.OTHER, "internal error: " + e, false));
    }
    if (prefetch != null) {
      // After the walk's own next query: each send hands its socket's bind and write to the event
      // loop's task queue, first come first sent, so the query the walk waits for leaves first and
      // the keys, needed only once it has ended, after it. Runs on a local copy: the machine may
      // already be in its callback's hands.
      prefetch.run();
    }
  }

  private IteratorState step(IteratorState current) {
    return switch (current) {
      case INIT_REQUEST -> initRequest();
      case QUERY_TARGETS -> queryTargets();
      case QUERY_RESPONSE -> queryResponse();
      case FOLLOW_REFERRAL -> followReferral();
      case CNAME_RESTART -> cnameRestart();
      case FINISHED -> finished();
    };
  }

  // INIT_REQUEST: RFC 1034 5.3.3 step 1 (the cache) and step 2 (the best servers to ask).
  //
  // QTYPE ANY (RFC 8482) skips the cache and asks the authority every time, passing on the set it
  // returns, full or minimal, as it gave it. The cache holds only the RRsets clients happened to
  // ask for, so an ANY answered from it would be a partial set that changes with the cache's
  // contents; RFC 8482 4.2 allows that, but a learner comparing `dig ANY` here with `dig ANY` at
  // the authority should see the same records. What an ANY reply carries is still cached, per
  // RRset, for the typed questions that follow.
  private IteratorState initRequest() {
    visitedNames.add(current);
    boolean lookedUpAlready = cacheMissed;
    cacheMissed = false;
    if (useCache && qtype != Type.ANY && !lookedUpAlready) {
      IteratorState answered = answerFromCache();
      if (answered != null) {
        return answered;
      }
    }
    if (cacheOnly) {
      // Not in the cache and recursion not desired: say so rather than go upstream.
      rcode = answer.isEmpty() ? Rcode.REFUSED : Rcode.NOERROR;
      return IteratorState.FINISHED;
    }
    fromCache = false;
    startAt(context.cache().closestDelegation(current, qtype, useCache));
    unreachableBecause.clear();
    minimiser.startBelow(delegation.zone());
    return IteratorState.QUERY_TARGETS;
  }

  /** The state after what the cache says about {@code current}, or null when it has nothing. */
  private IteratorState answerFromCache() {
    // One more link than restarts are left lets CNAME_RESTART see the limit crossed, and a name
    // already visited ends the walk so that CNAME_RESTART sees the loop.
    int restartsLeft = context.limits().maxCnameRestarts() - restarts + 1;
    CachedAnswer cached = context.cache().answer(current, qtype, restartsLeft, visitedNames);
    if (pastCachedFailure && cached instanceof CachedAnswer.Failed failed && failed.name().equals(qname)
        && cached.chain().isEmpty()) {
      return null;
    }
    answer.addAll(cached.chain());
    if (cached instanceof CachedAnswer.Failed failed) {
      current = failed.name();
      // An old entry without a code still explains itself: RFC 8914 4.14 Cached Error.
      int code = failed.edeCode() == Outcome.NO_EDE ? ExtendedErrorCodeOption.CACHED_ERROR : failed.edeCode();
      // Not stored again: the failure expires when it was meant to (RFC 9520 3.2).
      return failWithoutCaching(code, "cached failure (RFC 9520): " + failed.reason());
    }
    if (cached instanceof CachedAnswer.Data data) {
      answerSignatures.addAll(data.signatures());
      proofs.addAll(data.proofs());
      return IteratorState.FINISHED;
    }
    if (cached instanceof CachedAnswer.Negative negative) {
      rcode = negative.nxdomain() ? Rcode.NXDOMAIN : Rcode.NOERROR;
      authority = List.of(negative.soa());
      answerSignatures.addAll(negative.signatures());
      proofs.addAll(negative.proofs());
      return IteratorState.FINISHED;
    }
    if (cached instanceof CachedAnswer.Miss miss && !miss.chain().isEmpty()) {
      answerSignatures.addAll(miss.signatures());
      proofs.addAll(miss.proofs());
      // Every name the walk passed counts as visited and as one restart, as if each CNAME had
      // gone through CNAME_RESTART; the last restart is counted there.
      Set<Name> passed = new LinkedHashSet<>();
      miss.chain().stream().filter(r -> r.getType() == Type.CNAME).forEach(alias -> passed.add(alias.getName()));
      visitedNames.addAll(passed);
      restarts += passed.size() - 1;
      current = miss.name();
      return IteratorState.CNAME_RESTART;
    }
    return null;
  }

  // QUERY_TARGETS: RFC 1034 5.3.3 step 3, send to the best server not asked yet.
  private IteratorState queryTargets() {
    if (budget.expired()) {
      return outOfTime();
    }
    skipShortenedNamesWithCachedNoData();
    InetAddress server = context.selector().choose(delegation.untriedAddresses());
    if (server == null) {
      Name nameServer = depth < context.limits().maxDependencyDepth() ? nextNameServerOffTheCycle() : null;
      if (nameServer != null) {
        // RFC 1034 5.3.3 step 3: an NS without an address: look its address up first.
        resolveAddress(nameServer).whenComplete((addresses, error) -> {
          budget.lookups().finish(nameServer);
          if (addresses != null) {
            addresses.forEach(a -> delegation.addAddress(nameServer, a));
          }
          state = IteratorState.QUERY_TARGETS;
          run();
        });
        return null;
      }
      if (delegation.readmitForRetransmission()) {
        // Every server was asked (and every glue-less one looked up): ask again those that only
        // timed out, a bounded number of times.
        return IteratorState.QUERY_TARGETS;
      }
      if (delegation.lookupsCapped()) {
        context.metrics().limits().reached(Limit.DELEGATION_LOOKUPS, delegation.zone() + " has more than "
            + context.limits().maxNameServerLookups() + " name servers without glue (asked " + qname + ")");
      }
      return unreachable();
    }
    return send(server, Transport.UDP, context.selector().preservesCase(server));
  }

  /**
   * RFC 9156 2.3, as Unbound does: a shortened name for which the servers of the current zone gave
   * NODATA is no zone cut (at a cut they would have referred us), so while the cache holds that
   * NODATA it is not asked again: a second name under the same empty non-terminal costs one query,
   * not two.
   */
  private void skipShortenedNamesWithCachedNoData() {
    if (!useCache) {
      return;
    }
    for (Name asked = minimiser.nameToAsk(current); !asked.equals(current); asked = minimiser.nameToAsk(current)) {
      CacheEntry.Negative known = context.cache().records().negative(asked, context.minimisedQueryType().type());
      if (known == null || known.nxdomain() || !known.zone().equals(delegation.zone())) {
        return;
      }
      minimiser.noZoneCutAt(asked);
    }
  }

  /**
   * The next glue-less name server of the delegation whose lookup is not already under way for this
   * client query; one that is would be a cycle ({@link NameServerLookups}) and is skipped. Null
   * when none is left.
   */
  private Name nextNameServerOffTheCycle() {
    for (Name nameServer = delegation.nextNameServerToLookUp(context.limits().maxNameServerLookups(), context.selector().families()::permits); nameServer != null;
        nameServer = delegation.nextNameServerToLookUp(context.limits().maxNameServerLookups(), context.selector().families()::permits)) {
      if (budget.lookups().start(nameServer)) {
        return nameServer;
      }
      unreachableBecause.add(nameServer + " is already being looked up for this question: a name server cycle");
    }
    return null;
  }

  /**
   * RFC 8914: no server of the zone could be asked, or none gave a usable reply. The EDE says what
   * the servers did (ServerProblems: timeouts 22, lame 20, errors 23), or 22 when none could even be
   * asked (no address, or only name servers whose lookup would be a cycle).
   */
  private IteratorState unreachable() {
    List<String> why = new ArrayList<>();
    if (!problems.isEmpty() || unreachableBecause.isEmpty()) {
      why.add(problems.describe());
    }
    why.addAll(unreachableBecause);
    return fail(problems.edeCode(),
        "no name server of " + delegation.zone() + " gave a usable reply (" + String.join("; ", why) + ")");
  }

  /**
   * A name server's addresses, looked up as dependent resolutions sharing the client's budget: A,
   * then AAAA when A gave no usable address (an IPv6-only name server), as the families allow.
   */
  private CompletableFuture<List<InetAddress>> resolveAddress(Name nameServer) {
    return resolveAddress(nameServer, context.selector().families().addressTypes());
  }

  private CompletableFuture<List<InetAddress>> resolveAddress(Name nameServer, List<Integer> types) {
    return new Resolution(context, nameServer, types.get(0), useCache, budget, depth + 1, trace)
        .start()
        .thenApply(outcome -> {
          if (outcome.failure() != null) {
            unreachableBecause.add("the address of " + nameServer + " failed: " + outcome.failure());
          }
          return outcome;
        })
        .thenCompose(outcome -> {
          List<InetAddress> addresses = outcome.answer().stream()
              .filter(r -> r instanceof ARecord || r instanceof AAAARecord)
              .map(r -> r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress())
              .toList();
          if (types.size() > 1 && addresses.stream().noneMatch(context.selector().families()::permits)) {
            return resolveAddress(nameServer, types.subList(1, types.size()));
          }
          return CompletableFuture.completedFuture(addresses);
        });
  }

  private IteratorState send(InetAddress server, Transport transport, boolean scrambleCase) {
    if (budget.expired()) {
      return outOfTime();
    }
    if (!budget.trySpend()) {
      return fail(ExtendedErrorCodeOption.OTHER,
          "more than " + context.limits().maxUpstreamQueries() + " upstream queries for one question");
    }
    delegation.markTried(server);
    Name askName = minimiser.nameToAsk(current);
    int askType = askName.equals(current) ? qtype : context.minimisedQueryType().type();
    Message query = context.queries().build(askName, askType);
    byte[] nameOnWire = context.queries().nameOnWire(askName, scrambleCase);
    String role = context.roles().roleOf(server, delegation.zone());
    sent = new Exchange(query, nameOnWire, askName, server, role, transport, System.nanoTime());
    context.metrics().upstreamQuery(role, transport.tag());
    InetSocketAddress destination = new InetSocketAddress(server, context.upstreamPort());
    context.client()
        .send(query, nameOnWire, destination, transport, budget.nextWait(context.limits().upstreamTimeout()))
        .whenComplete((upstreamReply, error) -> {
          reply = upstreamReply;
          failure = error instanceof CompletionException ? error.getCause() : error;
          state = IteratorState.QUERY_RESPONSE;
          run();
        });
    return null;
  }

  // QUERY_RESPONSE: classify first, then act (RFC 1034 5.3.3 step 4).
  private IteratorState queryResponse() {
    if (failure != null) {
      return noReply();
    }
    Message message = reply.message();
    InetAddress server = sent.server();
    context.selector().replied(server, reply.rtt());
    if (message.getHeader().getFlag(Flags.TC) && sent.transport() == Transport.UDP) {
      // RFC 1035 4.2.1 / RFC 7766: a truncated UDP reply means "ask again over TCP".
      trace(TraceOutcome.TRUNCATED, message, "truncated: asking the same server over TCP");
      delegation.untry(server);
      return send(server, Transport.TCP, false);
    }
    if (!reply.questionAsSent()) {
      // 0x20: the server changed the letter case. Ask it again without scrambling, and remember.
      context.selector().doesNotPreserveCase(server);
      trace(TraceOutcome.THROWAWAY, message, "question case not preserved: 0x20 off for this server");
      delegation.untry(server);
      return send(server, sent.transport(), false);
    }
    Name asked = sent.askedName();
    ScrubbedReply scrubbed = BailiwickScrubber.scrub(message, delegation.zone(), asked);
    Classification kind =
        ReplyClassifier.classify(scrubbed, asked, sent.query().getQuestion().getType(), delegation.zone());
    context.metrics().upstreamReply(sent.role(), kind.type().name(), reply.rtt());
    // RFC 9156 2.3: a reply for a shortened name says whether there is a zone cut at it.
    boolean minimised = !asked.equals(current);
    return switch (kind.type()) {
      case REFERRAL -> referralToTheChildForDs((Classification.Referral) kind)
          ? unusable(new Classification.Lame("referral to " + current + " for its own DS: the DS RRset is the "
              + "parent's (RFC 4035 3.1.4.1)"), message)
          : referral((Classification.Referral) kind, message);
      case LAME, THROWAWAY -> minimised ? askFullName(kind, message) : unusable((Classification.Unusable) kind, message);
      case ANSWER -> minimised ? noZoneCutAt(kind, message) : answered((Classification.Answer) kind, message);
      case NODATA -> minimised ? noZoneCutAt(kind, message) : negative((Classification.Negative) kind, message);
      case CNAME -> minimised ? askFullName(kind, message) : restartWith((Classification.Cname) kind, message);
      case NXDOMAIN -> minimised ? askFullName(kind, message) : negative((Classification.Negative) kind, message);
      case YXDOMAIN -> minimised ? askFullName(kind, message) : tooLong((Classification.YxDomain) kind, message);
    };
  }

  /** No reply: a timeout, a send the UpstreamPolicy blocked, or an I/O error. */
  private IteratorState noReply() {
    InetAddress server = sent.server();
    String next = "; trying another server";
    TraceOutcome outcome;
    if (failure instanceof UpstreamTimeoutException) {
      outcome = TraceOutcome.TIMEOUT;
      problems.record(server, ServerProblems.Kind.TIMEOUT, "timed out");
      context.selector().timedOut(server, context.limits().upstreamTimeout());
      context.metrics().upstreamTimeout(sent.role());
      // The timed-out server is penalised, so another one is asked first when there is one;
      // when there is none, the same one is asked again, a bounded number of times.
      if (delegation.retransmitAfterTimeout(server, ResolutionLimits.MAX_RETRANSMISSIONS)) {
        next = "; trying another server, else asking this one again";
      }
    } else if (failure instanceof UpstreamBlockedException) {
      outcome = TraceOutcome.BLOCKED;
      problems.record(server, ServerProblems.Kind.BLOCKED, "outside the upstream allow-list");
    } else {
      outcome = TraceOutcome.ERROR;
      problems.record(server, ServerProblems.Kind.ERROR, "network error: " + failure.getMessage());
      // Unreachable (no route, as for an IPv6 address on an IPv4-only path): as bad as silent.
      context.selector().timedOut(server, context.limits().upstreamTimeout());
    }
    next = IpFallback.note(server, delegation, context.selector()) + next;
    if (outcome == TraceOutcome.TIMEOUT && !sent.askedName().equals(current)) {
      // RFC 9156 4: some servers never answer a shortened name (a firewall or a broken server
      // that drops what it does not know); as Unbound does, stop minimising and ask the full name.
      minimiser.askFullName();
      next = "; minimised query unanswered: asking the full name" + next;
    }
    trace.write(sent, depth, delegation, outcome, null, failure.getMessage() + next, UpstreamRefusals.traced(failure));
    return IteratorState.QUERY_TARGETS;
  }

  /**
   * A DS question answered with a referral to the zone the DS is about: the server sends us to the
   * child, whose apex has no DS (RFC 4035 3.1.4.1 says the parent answers). We never follow it.
   */
  private boolean referralToTheChildForDs(Classification.Referral kind) {
    return qtype == Type.DS && kind.zone().equals(current);
  }

  private IteratorState referral(Classification.Referral kind, Message message) {
    trace(TraceOutcome.REFERRAL, message, "referral to " + kind.zone());
    referral = kind;
    return IteratorState.FOLLOW_REFERRAL;
  }

  private IteratorState unusable(Classification.Unusable kind, Message message) {
    problems.record(sent.server(),
        kind instanceof Classification.Lame ? ServerProblems.Kind.LAME : ServerProblems.Kind.ERROR, kind.reason());
    trace(TraceWriter.outcomeOf(kind.type()), message, kind.reason() + "; trying another server");
    return IteratorState.QUERY_TARGETS;
  }

  /** RFC 9156 2.3: data or NODATA for a shortened name means no zone cut there; add a label. */
  private IteratorState noZoneCutAt(Classification kind, Message message) {
    Name asked = sent.askedName();
    trace(TraceWriter.outcomeOf(kind.type()), message, "no zone cut at " + asked + ": one more label");
    if (kind instanceof Classification.NoData nodata && nodata.chain().isEmpty() && nodata.name().equals(asked)) {
      // Kept like any NODATA (RFC 2308 5), so the next walk below this name skips the question.
      context.cache().storeNegative(nodata, sent.query().getQuestion().getType(), delegation.zone());
    }
    minimiser.noZoneCutAt(asked);
    delegation.untry(sent.server());
    return IteratorState.QUERY_TARGETS;
  }

  /**
   * NXDOMAIN, a CNAME, an error (REFUSED, SERVFAIL, ...) or an answer that does not answer, for a
   * shortened name: ask the same servers the full name. RFC 9156 2.3 and 4: servers that do not
   * know empty non-terminals answer the shortened name wrongly, while they answer the full name
   * right; a non-minimising resolver would get the answer, so must we.
   */
  private IteratorState askFullName(Classification kind, Message message) {
    trace(TraceWriter.outcomeOf(kind.type()), message,
        "minimised query gave " + kind.type() + ": asking the full name");
    minimiser.askFullName();
    delegation.untry(sent.server());
    return IteratorState.QUERY_TARGETS;
  }

  private IteratorState answered(Classification.Answer kind, Message message) {
    keep(kind);
    trace(TraceOutcome.ANSWER, message, "answer");
    return IteratorState.FINISHED;
  }

  private IteratorState restartWith(Classification.Cname kind, Message message) {
    keep(kind);
    trace(TraceOutcome.CNAME, message, "CNAME: restarting with " + kind.target());
    current = kind.target();
    return IteratorState.CNAME_RESTART;
  }

  /**
   * RFC 6672 2.2: the DNAME would make the name too long. The client gets YXDOMAIN with the DNAME
   * (and its RRSIGs, with DO), as the authority said; the DNAME is cached like any answer.
   */
  private IteratorState tooLong(Classification.YxDomain kind, Message message) {
    keep(kind);
    trace(TraceOutcome.YXDOMAIN, message, "the DNAME makes " + kind.name() + " longer than 255 octets");
    rcode = Rcode.YXDOMAIN;
    return IteratorState.FINISHED;
  }

  private IteratorState negative(Classification.Negative kind, Message message) {
    keep(kind);
    boolean nxdomain = kind instanceof Classification.NxDomain;
    trace(TraceWriter.outcomeOf(kind.type()), message, nxdomain ? "the name does not exist" : "no data of this type");
    rcode = nxdomain ? Rcode.NXDOMAIN : Rcode.NOERROR;
    context.cache().storeNegative(kind, qtype, delegation.zone());
    if (kind.soa() != null) {
      authority = List.of(kind.soa());
    }
    return IteratorState.FINISHED;
  }

  /**
   * The reply's chain (CNAMEs, then data) goes into the cache and the answer section, its RRSIGs
   * with it (RFC 4035 4.5).
   */
  private void keep(Classification kind) {
    context.cache().storeAnswer(kind, delegation.zone());
    answer.addAll(kind.chain());
    answerSignatures.addAll(kind.signatures());
    proofs.addAll(kind.proofs());
  }

  // FOLLOW_REFERRAL: RFC 1034 5.3.3 step 4b, cache the delegation and go down.
  private IteratorState followReferral() {
    if (++referrals > context.limits().maxReferrals()) {
      return fail(ExtendedErrorCodeOption.OTHER, "more than " + context.limits().maxReferrals() + " referrals");
    }
    Name parent = delegation.zone();
    startAt(context.cache().storeReferral(referral, parent, useCache));
    keysToPrefetch = prefetchKeys(parent, referral, delegation.hasAddresses());
    unreachableBecause.clear();
    minimiser.descendTo(referral.zone());
    return IteratorState.QUERY_TARGETS;
  }

  /**
   * What the validator will want of this cut, asked for now, beside the walk (RFC 4035 5.2): for a
   * signed delegation (a DS in the referral, RFC 4035 3.1.4) the DNSKEY RRsets of both sides, the
   * child's only when its servers' addresses are known (a glueless child's prefetch would look them
   * up a second time, beside this walk's own lookup); for an unsigned one (an NSEC or NSEC3 proof
   * and no DS) the parent's DNSKEY RRset and the DS denial itself. The parent is the zone that
   * signed the proof, with the DS of a cut between it and the delegation asked. Returns those
   * fetches to start (null when there are none).
   */
  private Runnable prefetchKeys(Name parent, Classification.Referral referral, boolean childHasAddresses) {
    if (!context.dnssec()) {
      return null;
    }
    boolean signed = false;
    boolean denied = false;
    for (Record record : referral.delegationProof()) {
      signed |= record.getType() == Type.DS && record.getName().equals(referral.zone());
      denied |= record.getType() == Type.NSEC || record.getType() == Type.NSEC3;
    }
    if (!signed && !denied) {
      return null;
    }
    boolean signedCut = signed;
    Name signer = proofSigner(parent, referral);
    Name child = referral.zone();
    KeyPrefetch keys = context.keyPrefetch();
    return () -> {
      if (!signer.equals(parent)) {
        // A cut no referral showed: the servers of the parent zone serve the signer's zone too (the
        // lab's kr and co.kr), so the walk never saw its DS. The validator steps down one label at
        // a time from the last zone it trusts (RFC 4035 5.2), asking each label's DS and then the
        // signer's DNSKEY RRset, one after another once the walk has ended: asked now, beside it.
        for (Name cut = signer; cut.labels() > parent.labels(); cut = new Name(cut, 1)) {
          keys.fetch(cut, Type.DS);
        }
      }
      keys.fetch(signer, Type.DNSKEY);
      if (signedCut && childHasAddresses) {
        keys.fetch(child, Type.DNSKEY);
      } else if (!signedCut) {
        keys.fetch(child, Type.DS);
      }
    };
  }

  /**
   * The zone whose keys signed the referral's delegation proof (RFC 4035 5.2: the DS RRset, or the
   * NSEC/NSEC3 denying it, is the parent side's data): the signer its RRSIGs name when that lies
   * below {@code parent} and above the child, else {@code parent}.
   */
  private static Name proofSigner(Name parent, Classification.Referral referral) {
    for (Record record : referral.delegationProof()) {
      if (record instanceof RRSIGRecord signature) {
        Name signer = signature.getSigner();
        return signer.subdomain(parent) && referral.zone().subdomain(signer) && !referral.zone().equals(signer)
            ? signer : parent;
      }
    }
    return parent;
  }

  // CNAME_RESTART: RFC 1034 5.3.3 step 4c, the same question for the CNAME's target.
  private IteratorState cnameRestart() {
    if (++restarts > context.limits().maxCnameRestarts()) {
      return fail(ExtendedErrorCodeOption.OTHER, "more than " + context.limits().maxCnameRestarts() + " CNAMEs");
    }
    if (visitedNames.contains(current)) {
      return fail(ExtendedErrorCodeOption.OTHER, "CNAME loop at " + current);
    }
    return IteratorState.INIT_REQUEST;
  }

  private IteratorState finished() {
    if (rcode == Rcode.SERVFAIL) {
      result.complete(Outcome.servfail(edeCode, failureReason, false));
    } else {
      result.complete(new Outcome(rcode, answer, authority, null, fromCache, false, answerSignatures, proofs,
          Outcome.NO_EDE));
    }
    if (depth == 0 && !fromCache) {
      context.metrics().resolution(rcode);
    }
    return null;
  }

  /** Works at {@code point} from now on, with a clean slate of server problems. */
  private void startAt(DelegationPoint point) {
    delegation = point;
    problems = new ServerProblems(point.zone());
  }

  /**
   * The resolution's time is up: when the current zone's servers misbehaved meanwhile, that is
   * the explanation (timeouts: No Reachable Authority), else RFC 8914 Other.
   */
  private IteratorState outOfTime() {
    String reason = "resolution took longer than " + context.limits().resolutionTimeout().toMillis() + "ms";
    if (problems == null || problems.isEmpty()) {
      return fail(ExtendedErrorCodeOption.OTHER, reason);
    }
    return fail(problems.edeCode(), reason + " (" + problems.describe() + ")");
  }

  /**
   * SERVFAIL, explained: {@code code} is the RFC 8914 Extended DNS Error and {@code reason} its
   * EXTRA-TEXT, naming the zone and servers; both are cached with the failure (RFC 9520).
   */
  private IteratorState fail(int code, String reason) {
    context.cache().storeFailure(current, qtype, delegation == null ? Name.root : delegation.zone(), reason, code);
    return failWithoutCaching(code, reason);
  }

  private IteratorState failWithoutCaching(int code, String reason) {
    rcode = Rcode.SERVFAIL;
    failureReason = reason;
    edeCode = code;
    fromCache = false;
    log.debug("SERVFAIL for {}/{}: {}", qname, Type.string(qtype), reason);
    return IteratorState.FINISHED;
  }

  private void trace(TraceOutcome outcome, Message message, String note) {
    trace.write(sent, depth, delegation, outcome, message, note);
  }
}
