package dev.dnslab.recursor.iterator;

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
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
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
  private final ResolutionBudget budget;
  private final int depth;
  private final TraceWriter trace;
  private final QnameMinimiser minimiser;
  private final CompletableFuture<Outcome> result = new CompletableFuture<>();

  private final List<Record> answer = new ArrayList<>();
  private final Set<Name> visitedNames = new HashSet<>();
  private IteratorState state = IteratorState.INIT_REQUEST;
  private Name current;
  private int restarts;
  private int referrals;
  private DelegationPoint delegation;

  // The exchange in flight, set when QUERY_TARGETS sends and read by QUERY_RESPONSE.
  private Exchange sent;
  private UpstreamReply reply;
  private Throwable failure;

  // What QUERY_RESPONSE found, for FOLLOW_REFERRAL.
  private Classification.Referral referral;

  // How FINISHED answers.
  private int rcode = Rcode.NOERROR;
  private List<Record> authority = List.of();
  private String failureReason;
  private boolean fromCache = true;

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
    try {
      IteratorState next = state;
      while (next != null && !result.isDone()) {
        next = step(next);
        if (next != null) {
          state = next;
        }
      }
    } catch (RuntimeException e) {
      log.warn("resolution of {}/{} failed", qname, Type.string(qtype), e);
      result.complete(new Outcome(Rcode.SERVFAIL, List.of(), List.of(), "internal error: " + e, false));
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
    if (useCache && qtype != Type.ANY) {
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
    delegation = context.cache().closestDelegation(current, useCache);
    minimiser.startBelow(delegation.zone());
    return IteratorState.QUERY_TARGETS;
  }

  /** The state after what the cache says about {@code current}, or null when it has nothing. */
  private IteratorState answerFromCache() {
    // One more link than restarts are left lets CNAME_RESTART see the limit crossed, and a name
    // already visited ends the walk so that CNAME_RESTART sees the loop.
    int restartsLeft = context.limits().maxCnameRestarts() - restarts + 1;
    CachedAnswer cached = context.cache().answer(current, qtype, restartsLeft, visitedNames);
    answer.addAll(cached.chain());
    if (cached instanceof CachedAnswer.Failed failed) {
      current = failed.name();
      return fail("cached failure (RFC 9520): " + failed.reason());
    }
    if (cached instanceof CachedAnswer.Data) {
      return IteratorState.FINISHED;
    }
    if (cached instanceof CachedAnswer.Negative negative) {
      rcode = negative.nxdomain() ? Rcode.NXDOMAIN : Rcode.NOERROR;
      authority = List.of(negative.soa());
      return IteratorState.FINISHED;
    }
    if (cached instanceof CachedAnswer.Miss miss && !miss.chain().isEmpty()) {
      // Every name the walk passed counts as visited and as one restart, as if each CNAME had
      // gone through CNAME_RESTART; the last restart is counted there.
      Set<Name> passed = new LinkedHashSet<>();
      miss.chain().forEach(alias -> passed.add(alias.getName()));
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
      return fail("resolution took longer than " + context.limits().resolutionTimeout().toMillis() + "ms");
    }
    InetAddress server = context.selector().choose(delegation.untriedAddresses());
    if (server == null) {
      Name nameServer = delegation.nextNameServerToLookUp(context.limits().maxNameServerLookups());
      if (nameServer != null && depth < context.limits().maxDependencyDepth()) {
        // RFC 1034 5.3.3 step 3: an NS without an address: look its address up first.
        resolveAddress(nameServer).whenComplete((addresses, error) -> {
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
      return fail("no name server of " + delegation.zone() + " gave a usable reply");
    }
    return send(server, Transport.UDP, context.selector().preservesCase(server));
  }

  /** A name server's addresses, looked up as a dependent resolution sharing the client's budget. */
  private CompletableFuture<List<InetAddress>> resolveAddress(Name nameServer) {
    return new Resolution(context, nameServer, Type.A, useCache, budget, depth + 1, trace)
        .start()
        .thenApply(outcome -> outcome.answer().stream()
            .filter(r -> r instanceof ARecord || r instanceof AAAARecord)
            .map(r -> r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress())
            .toList());
  }

  private IteratorState send(InetAddress server, Transport transport, boolean scrambleCase) {
    if (budget.expired()) {
      return fail("resolution took longer than " + context.limits().resolutionTimeout().toMillis() + "ms");
    }
    if (!budget.trySpend()) {
      return fail("more than " + context.limits().maxUpstreamQueries() + " upstream queries for one question");
    }
    delegation.markTried(server);
    Name askName = minimiser.nameToAsk(current);
    int askType = askName.equals(current) ? qtype : Type.A;
    Message query = context.queries().build(askName, askType, scrambleCase);
    sent = new Exchange(query, askName, server, transport, System.nanoTime());
    context.metrics().upstreamQuery(context.roles().roleOf(server, delegation.zone()), transport.tag());
    InetSocketAddress destination = new InetSocketAddress(server, context.upstreamPort());
    context.client().send(query, destination, transport, budget.nextWait(context.limits().upstreamTimeout()))
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
    if (!CaseRandomisation.preserved(sent.query(), message)) {
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
    context.metrics().upstreamReply(context.roles().roleOf(server, delegation.zone()), kind.type().name(), reply.rtt());
    // RFC 9156 2.3: a reply for a shortened name says whether there is a zone cut at it.
    boolean minimised = !asked.equals(current);
    return switch (kind.type()) {
      case REFERRAL -> referral((Classification.Referral) kind, message);
      case LAME, THROWAWAY -> minimised ? askFullName(kind, message) : unusable((Classification.Unusable) kind, message);
      case ANSWER -> minimised ? noZoneCutAt(kind, message) : answered((Classification.Answer) kind, message);
      case NODATA -> minimised ? noZoneCutAt(kind, message) : negative((Classification.Negative) kind, message);
      case CNAME -> minimised ? askFullName(kind, message) : restartWith((Classification.Cname) kind, message);
      case NXDOMAIN -> minimised ? askFullName(kind, message) : negative((Classification.Negative) kind, message);
    };
  }

  /** No reply: a timeout, a send the UpstreamPolicy blocked, or an I/O error. */
  private IteratorState noReply() {
    InetAddress server = sent.server();
    String next = "; trying another server";
    TraceOutcome outcome;
    if (failure instanceof UpstreamTimeoutException) {
      outcome = TraceOutcome.TIMEOUT;
      context.selector().timedOut(server, context.limits().upstreamTimeout());
      context.metrics().upstreamTimeout(context.roles().roleOf(server, delegation.zone()));
      // The timed-out server is penalised, so another one is asked first when there is one;
      // when there is none, the same one is asked again, a bounded number of times.
      if (delegation.retransmitAfterTimeout(server, ResolutionLimits.MAX_RETRANSMISSIONS)) {
        next = "; trying another server, else asking this one again";
      }
    } else {
      outcome = failure instanceof UpstreamBlockedException ? TraceOutcome.BLOCKED : TraceOutcome.ERROR;
    }
    if (outcome == TraceOutcome.TIMEOUT && !sent.askedName().equals(current)) {
      // RFC 9156 4: some servers never answer a shortened name (a firewall or a broken server
      // that drops what it does not know); as Unbound does, stop minimising and ask the full name.
      minimiser.askFullName();
      next = "; minimised query unanswered: asking the full name" + next;
    }
    trace(outcome, null, failure.getMessage() + next);
    return IteratorState.QUERY_TARGETS;
  }

  private IteratorState referral(Classification.Referral kind, Message message) {
    trace(TraceOutcome.REFERRAL, message, "referral to " + kind.zone());
    referral = kind;
    return IteratorState.FOLLOW_REFERRAL;
  }

  private IteratorState unusable(Classification.Unusable kind, Message message) {
    trace(TraceWriter.outcomeOf(kind.type()), message, kind.reason() + "; trying another server");
    return IteratorState.QUERY_TARGETS;
  }

  /** RFC 9156 2.3: data or NODATA for a shortened name means no zone cut there; add a label. */
  private IteratorState noZoneCutAt(Classification kind, Message message) {
    Name asked = sent.askedName();
    trace(TraceWriter.outcomeOf(kind.type()), message, "no zone cut at " + asked + ": one more label");
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

  /** The reply's chain (CNAMEs, then data) goes into the cache and the answer section. */
  private void keep(Classification kind) {
    context.cache().storeAnswer(kind.chain(), delegation.zone());
    answer.addAll(kind.chain());
  }

  // FOLLOW_REFERRAL: RFC 1034 5.3.3 step 4b, cache the delegation and go down.
  private IteratorState followReferral() {
    if (++referrals > context.limits().maxReferrals()) {
      return fail("more than " + context.limits().maxReferrals() + " referrals");
    }
    delegation = context.cache().storeReferral(referral, delegation.zone(), useCache);
    minimiser.descendTo(referral.zone());
    return IteratorState.QUERY_TARGETS;
  }

  // CNAME_RESTART: RFC 1034 5.3.3 step 4c, the same question for the CNAME's target.
  private IteratorState cnameRestart() {
    if (++restarts > context.limits().maxCnameRestarts()) {
      return fail("more than " + context.limits().maxCnameRestarts() + " CNAMEs");
    }
    if (visitedNames.contains(current)) {
      return fail("CNAME loop at " + current);
    }
    return IteratorState.INIT_REQUEST;
  }

  private IteratorState finished() {
    if (rcode == Rcode.SERVFAIL) {
      result.complete(new Outcome(rcode, List.of(), List.of(), failureReason, false));
    } else {
      result.complete(new Outcome(rcode, answer, authority, null, fromCache));
    }
    if (depth == 0 && !fromCache) {
      context.metrics().resolution(Rcode.string(rcode));
    }
    return null;
  }

  private IteratorState fail(String reason) {
    rcode = Rcode.SERVFAIL;
    failureReason = reason;
    fromCache = false;
    log.debug("SERVFAIL for {}/{}: {}", qname, Type.string(qtype), reason);
    context.cache().storeFailure(current, qtype, delegation == null ? Name.root : delegation.zone(), reason);
    return IteratorState.FINISHED;
  }

  private void trace(TraceOutcome outcome, Message message, String note) {
    trace.write(sent, depth, delegation, outcome, message, note);
  }
}
