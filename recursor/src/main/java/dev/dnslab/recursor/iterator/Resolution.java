package dev.dnslab.recursor.iterator;

import dev.dnslab.core.cache.CacheEntry;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.CachedAnswer;
import dev.dnslab.core.cache.RRsets;
import dev.dnslab.core.server.Transport;
import dev.dnslab.recursor.trace.TraceRecorder;
import dev.dnslab.recursor.trace.TraceStep;
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
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One resolution: the iterator state machine of RFC 1034 5.3.3 for one question. It runs until it
 * has to wait for the network, and the reply's callback runs it on from there; one resolution
 * never has more than one query in flight, so its fields need no locks.
 */
final class Resolution {
  /**
   * Times one server may be asked again after timing out, per delegation point: three, so one or
   * two lost datagrams never fail a lookup; the upstream-query budget and the resolution deadline
   * still bound the total.
   */
  static final int MAX_RETRANSMISSIONS = 3;

  private static final Logger log = LoggerFactory.getLogger(Resolution.class);

  /** RFC 9156 2.3's MAX_MINIMISE_COUNT: after this many extra labels, ask the full name. */
  static final int MAX_MINIMISE_COUNT = 10;

  /** The UDP payload we advertise upstream: DNS flag day 2020's 1232 avoids IP fragmentation. */
  static final int ADVERTISED_UDP_PAYLOAD = 1232;

  private final Resolver resolver;
  private final Name qname;
  private final int qtype;
  private final boolean useCache;
  private boolean cacheOnly;
  private final ResolutionBudget budget;
  private final int depth;
  private final TraceRecorder trace;
  private final CompletableFuture<Outcome> result = new CompletableFuture<>();

  private final List<Record> answer = new ArrayList<>();
  private final Set<Name> visitedNames = new HashSet<>();
  private IteratorState state = IteratorState.INIT_REQUEST;
  private Name current;
  private int restarts;
  private int referrals;
  private DelegationPoint delegation;
  private Name minimisedTo;
  private boolean minimising;
  private int minimiseSteps;

  // The exchange in flight, set when QUERY_TARGETS sends and read by QUERY_RESPONSE.
  private Message sentQuery;
  private Name sentName;
  private InetAddress sentTo;
  private Transport sentOver;
  private long sentAtNanos;
  private UpstreamReply reply;
  private Throwable failure;

  // What QUERY_RESPONSE found, for FOLLOW_REFERRAL.
  private Classification referral;

  // How FINISHED answers.
  private int rcode = Rcode.NOERROR;
  private List<Record> authority = List.of();
  private String failureReason;
  private boolean fromCache = true;

  Resolution(Resolver resolver, Name qname, int qtype, boolean useCache, ResolutionBudget budget, int depth,
      TraceRecorder trace) {
    this.resolver = resolver;
    this.qname = qname;
    this.qtype = qtype;
    this.useCache = useCache;
    this.budget = budget;
    this.depth = depth;
    this.trace = trace;
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
  private IteratorState initRequest() {
    visitedNames.add(current);
    if (useCache) {
      // The cache walks the CNAMEs it holds; one more restart than are left lets CNAME_RESTART
      // see the limit crossed, and a name already visited ends the walk so it sees the loop.
      int restartsLeft = resolver.limits.maxCnameRestarts() - restarts + 1;
      CachedAnswer cached = CachedAnswer.lookUp(resolver.cache, current, qtype, restartsLeft, visitedNames);
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
    }
    if (cacheOnly) {
      // Not in the cache and recursion not desired: say so rather than go upstream.
      rcode = answer.isEmpty() ? Rcode.REFUSED : Rcode.NOERROR;
      return IteratorState.FINISHED;
    }
    fromCache = false;
    delegation = resolver.closestDelegation(current, useCache);
    minimisedTo = delegation.zone();
    minimising = resolver.qnameMinimisation;
    minimiseSteps = 0;
    return IteratorState.QUERY_TARGETS;
  }

  // QUERY_TARGETS: RFC 1034 5.3.3 step 3, send to the best server not asked yet.
  private IteratorState queryTargets() {
    if (budget.expired()) {
      return fail("resolution took longer than " + resolver.limits.resolutionTimeout().toMillis() + "ms");
    }
    InetAddress server = resolver.selector.choose(delegation.untriedAddresses());
    if (server == null) {
      Name nameServer = delegation.nextNameServerToLookUp();
      if (nameServer != null && depth < resolver.limits.maxDependencyDepth()) {
        // RFC 1034 5.3.3 step 3: an NS without an address: look its address up first.
        resolver.resolveAddress(nameServer, budget, depth + 1, useCache, trace)
            .whenComplete((addresses, error) -> {
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
      return fail("no name server of " + delegation.zone() + " gave a usable reply");
    }
    return send(server, Transport.UDP, resolver.selector.preservesCase(server));
  }

  private IteratorState send(InetAddress server, Transport transport, boolean scrambleCase) {
    if (budget.expired()) {
      return fail("resolution took longer than " + resolver.limits.resolutionTimeout().toMillis() + "ms");
    }
    if (!budget.trySpend()) {
      return fail("more than " + resolver.limits.maxUpstreamQueries() + " upstream queries for one question");
    }
    delegation.markTried(server);
    Name askName = askedName();
    int askType = askName.equals(current) ? qtype : Type.A;
    Name wireName = scrambleCase ? resolver.randomiser.randomiseCase(askName) : askName;
    Message query = new Message(resolver.randomiser.nextId());
    // RD clear: we iterate, the servers must not recurse for us (RFC 1034 5.3.1).
    query.getHeader().unsetFlag(Flags.RD);
    query.addRecord(Record.newRecord(wireName, askType, DClass.IN), Section.QUESTION);
    query.addRecord(new OPTRecord(ADVERTISED_UDP_PAYLOAD, 0, 0, 0), Section.ADDITIONAL);
    sentQuery = query;
    sentName = askName;
    sentTo = server;
    sentOver = transport;
    sentAtNanos = System.nanoTime();
    String role = resolver.roles.roleOf(server, delegation.zone());
    resolver.metrics.upstreamQuery(role, transport.tag());
    InetSocketAddress destination = new InetSocketAddress(server, resolver.upstreamPort);
    resolver.client.send(query, destination, transport, budget.nextWait(resolver.limits.upstreamTimeout()))
        .whenComplete((upstreamReply, error) -> {
          reply = upstreamReply;
          failure = error instanceof CompletionException ? error.getCause() : error;
          state = IteratorState.QUERY_RESPONSE;
          run();
        });
    return null;
  }

  /** The name to ask: with QNAME minimisation (RFC 9156 2.3) one label more than the zone. */
  private Name askedName() {
    if (!minimising || minimiseSteps >= MAX_MINIMISE_COUNT || !current.subdomain(minimisedTo)) {
      return current;
    }
    int labels = minimisedTo.labels() + 1;
    if (labels >= current.labels()) {
      return current;
    }
    return new Name(current, current.labels() - labels);
  }

  // QUERY_RESPONSE: classify first, then act (RFC 1034 5.3.3 step 4).
  private IteratorState queryResponse() {
    String role = resolver.roles.roleOf(sentTo, delegation.zone());
    Record question = sentQuery.getQuestion();
    if (failure != null) {
      String kind = failure instanceof UpstreamTimeoutException ? "TIMEOUT"
          : failure instanceof UpstreamBlockedException ? "BLOCKED" : "ERROR";
      String next = "; trying another server";
      if (failure instanceof UpstreamTimeoutException) {
        resolver.selector.timedOut(sentTo, resolver.limits.upstreamTimeout());
        resolver.metrics.upstreamTimeout(role);
        // The timed-out server is penalised, so another one is asked first when there is one;
        // when there is none, the same one is asked again, a bounded number of times.
        if (delegation.retransmitAfterTimeout(sentTo, MAX_RETRANSMISSIONS)) {
          next = "; trying another server, else asking this one again";
        }
      }
      record(kind, null, failure.getMessage() + next);
      return IteratorState.QUERY_TARGETS;
    }
    Message message = reply.message();
    resolver.selector.replied(sentTo, reply.rtt());
    if (message.getHeader().getFlag(Flags.TC) && sentOver == Transport.UDP) {
      // RFC 1035 4.2.1 / RFC 7766: a truncated UDP reply means "ask again over TCP".
      record("TRUNCATED", message, "truncated: asking the same server over TCP");
      delegation.untry(sentTo);
      return send(sentTo, Transport.TCP, false);
    }
    if (!question.getName().toString().equals(message.getQuestion().getName().toString())) {
      // 0x20: the server changed the letter case. Ask it again without scrambling, and remember.
      resolver.selector.doesNotPreserveCase(sentTo);
      record("THROWAWAY", message, "question case not preserved: 0x20 off for this server");
      delegation.untry(sentTo);
      return send(sentTo, sentOver, false);
    }
    Name asked = sentName;
    boolean minimised = !asked.equals(current);
    ScrubbedReply scrubbed = BailiwickScrubber.scrub(message, delegation.zone(), asked);
    Classification kind = ReplyClassifier.classify(scrubbed, asked, question.getType(), delegation.zone());
    resolver.metrics.upstreamReply(role, kind.type().name(), reply.rtt());

    switch (kind.type()) {
      case REFERRAL -> {
        record(kind.type().name(), message, "referral to " + kind.referralZone());
        referral = kind;
        return IteratorState.FOLLOW_REFERRAL;
      }
      case LAME, THROWAWAY -> {
        record(kind.type().name(), message, kind.reason() + "; trying another server");
        return IteratorState.QUERY_TARGETS;
      }
      default -> { }
    }
    if (minimised) {
      if (kind.type() == ReplyType.NODATA || kind.type() == ReplyType.ANSWER) {
        // RFC 9156 2.3: no zone cut at this name; add the next label.
        record(kind.type().name(), message, "no zone cut at " + asked + ": one more label");
        minimisedTo = asked;
        minimiseSteps++;
      } else {
        // NXDOMAIN or CNAME for a shortened name: ask the full name instead (RFC 9156 2.3's
        // relaxed mode, as Unbound does), so the answer and its SOA come from the server itself.
        record(kind.type().name(), message, "minimised query gave " + kind.type() + ": asking the full name");
        minimising = false;
      }
      delegation.untry(sentTo);
      return IteratorState.QUERY_TARGETS;
    }
    cacheChain(kind.chain());
    answer.addAll(kind.chain());
    switch (kind.type()) {
      case ANSWER -> {
        record("ANSWER", message, "answer");
        return IteratorState.FINISHED;
      }
      case CNAME -> {
        record("CNAME", message, "CNAME: restarting with " + kind.finalName());
        current = kind.finalName();
        return IteratorState.CNAME_RESTART;
      }
      case NXDOMAIN, NODATA -> {
        boolean nxdomain = kind.type() == ReplyType.NXDOMAIN;
        record(kind.type().name(), message, nxdomain ? "the name does not exist" : "no data of this type");
        rcode = nxdomain ? Rcode.NXDOMAIN : Rcode.NOERROR;
        if (kind.soa() != null) {
          // RFC 2308 5: cache the negative answer, its TTL from the SOA.
          resolver.cache.putNegative(kind.finalName(), qtype, nxdomain, kind.soa(), delegation.zone());
          authority = List.of(kind.soa());
        }
        return IteratorState.FINISHED;
      }
      default -> throw new IllegalStateException("unhandled reply type " + kind.type());
    }
  }

  // FOLLOW_REFERRAL: RFC 1034 5.3.3 step 4b, cache the delegation and go down.
  private IteratorState followReferral() {
    if (++referrals > resolver.limits.maxReferrals()) {
      return fail("more than " + resolver.limits.maxReferrals() + " referrals");
    }
    Name zone = referral.referralZone();
    Name parent = delegation.zone();
    resolver.cache.putPositive(rrset(referral.nameServers()), CacheRank.REFERRAL, parent);
    DelegationPoint child = new DelegationPoint(zone);
    for (Record record : referral.nameServers()) {
      child.addNameServer(((NSRecord) record).getTarget());
    }
    for (RRset glue : RRsets.group(referral.glue())) {
      // Glue is in the parent's bailiwick (the scrubber checked): good enough to reach the child.
      resolver.cache.putPositive(glue, CacheRank.GLUE, parent);
      if (glue.getType() == Type.A) {
        glue.rrs(false).forEach(r -> child.addAddress(r.getName(), ((ARecord) r).getAddress()));
      }
    }
    if (useCache) {
      for (Name target : child.nameServerNames()) {
        CacheEntry.Positive known = resolver.cache.positive(target, Type.A, CacheRank.GLUE);
        if (known != null) {
          known.rrset().rrs(false).forEach(r -> child.addAddress(target, ((ARecord) r).getAddress()));
        }
      }
    }
    delegation = child;
    minimisedTo = zone;
    minimiseSteps = 0;
    return IteratorState.QUERY_TARGETS;
  }

  // CNAME_RESTART: RFC 1034 5.3.3 step 4c, the same question for the CNAME's target.
  private IteratorState cnameRestart() {
    if (++restarts > resolver.limits.maxCnameRestarts()) {
      return fail("more than " + resolver.limits.maxCnameRestarts() + " CNAMEs");
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
      resolver.metrics.resolution(Rcode.string(rcode));
    }
    return null;
  }

  private IteratorState fail(String reason) {
    rcode = Rcode.SERVFAIL;
    failureReason = reason;
    fromCache = false;
    log.debug("SERVFAIL for {}/{}: {}", qname, Type.string(qtype), reason);
    // RFC 9520 3.2: remember the failure so that retrying clients do not hammer a broken zone.
    resolver.cache.putFailure(current, qtype, delegation == null ? Name.root : delegation.zone(), reason);
    return IteratorState.FINISHED;
  }

  private void cacheChain(List<Record> chain) {
    for (RRset set : RRsets.group(chain)) {
      resolver.cache.putPositive(set, CacheRank.ANSWER, delegation.zone());
    }
  }

  private static RRset rrset(List<Record> records) {
    RRset set = new RRset();
    records.forEach(set::addRR);
    return set;
  }

  private void record(String replyType, Message message, String note) {
    if (trace == null) {
      return;
    }
    Record question = sentQuery.getQuestion();
    Name ns = delegation.nameServerOf(sentTo);
    TraceStep.Server server = new TraceStep.Server(
        resolver.roles.roleOf(sentTo, delegation.zone()),
        ns == null ? null : ns.toString(),
        sentTo.getHostAddress(),
        resolver.upstreamPort);
    trace.add(new TraceStep(
        trace.nextStepNumber(),
        depth,
        delegation.zone().toString(),
        server,
        new TraceStep.Question(question.getName().toString(), Type.string(question.getType())),
        sentOver.tag(),
        replyType,
        message == null ? null : Rcode.string(message.getRcode()),
        message != null && message.getHeader().getFlag(Flags.AA),
        lines(message, Section.ANSWER),
        lines(message, Section.AUTHORITY),
        lines(message, Section.ADDITIONAL),
        (System.nanoTime() - sentAtNanos) / 1e6,
        note));
  }

  private static List<String> lines(Message message, int section) {
    if (message == null) {
      return List.of();
    }
    return message.getSection(section).stream()
        .filter(r -> r.getType() != Type.OPT)
        .map(Record::toString)
        .toList();
  }
}
