package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheEntry;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.RRsets;
import dev.dnslab.core.server.Transport;
import dev.dnslab.recursor.trace.Priming;
import dev.dnslab.recursor.trace.TraceOutcome;
import dev.dnslab.recursor.trace.TraceRecorder;
import dev.dnslab.recursor.upstream.UpstreamBlockedException;
import dev.dnslab.recursor.upstream.UpstreamTimeoutException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Priming (RFC 9609): asks a hinted root server for the root's NS set and caches it with its
 * addresses, at start and again once it has expired, so resolution starts from the root's own
 * current list rather than from the hints. A truncated priming reply is asked again over TCP of the
 * same server (RFC 7766 5). When no hinted server answers, the hints stay in use
 * ({@link IteratorCache#closestDelegation} falls back to them) and priming is tried again after
 * {@link ResolutionLimits#PRIMING_RETRY_INTERVAL}.
 */
final class RootPriming {
  private static final Logger log = LoggerFactory.getLogger(RootPriming.class);

  /** What /trace tells a learner who asks why a resolver with hints still asks for {@code . NS}. */
  static final String WHY = "Priming (RFC 9609): the root hints are only where to start. They were written when the "
      + "software or its hints file was made, and root servers have changed addresses since, so a resolver asks one "
      + "hinted root server for the root zone's own, current NS set and addresses (. NS) and uses that answer "
      + "instead, at start and again when its TTL runs out. If no hinted server answers, it keeps using the hints.";

  private final IteratorContext context;
  private CompletableFuture<Boolean> round = CompletableFuture.completedFuture(false);
  private boolean attempted;
  // Volatile: primeIfDue reads them without the lock on every client query.
  private volatile boolean primed;
  // When the primed root NS set expires, on the cache's clock.
  private volatile long primedUntil;
  private long failedAtNanos;
  private Priming last;

  RootPriming(IteratorContext context) {
    this.context = requireNonNull(context, "context");
    this.last = new Priming(Priming.RootServers.NOT_PRIMED_YET, WHY, List.of());
  }

  /**
   * Starts a priming round unless one is running, and returns it: completes with true when the
   * root NS set was cached, false when the hints stay in use. Never fails.
   */
  synchronized CompletableFuture<Boolean> prime() {
    if (!round.isDone()) {
      return round;
    }
    attempted = true;
    TraceRecorder recorder = new TraceRecorder();
    TraceWriter writer = new TraceWriter(recorder, context.roles(), context.upstreamPort());
    DelegationPoint hints = context.cache().hintedRoot();
    CompletableFuture<Boolean> asked = new CompletableFuture<>();
    round = asked.whenComplete((cached, error) -> finished(Boolean.TRUE.equals(cached), recorder));
    ask(hints, writer, ResolutionLimits.MAX_PRIMING_ATTEMPTS, asked);
    return round;
  }

  /**
   * Primes when it never has, when the primed set has expired (RFC 9609 3), or when the last round
   * failed at least {@link ResolutionLimits#PRIMING_RETRY_INTERVAL} ago.
   */
  void primeIfDue() {
    if (primed && context.cache().records().now() < primedUntil) {
      return; // the client query path: no lock while the primed set is fresh
    }
    boolean due;
    synchronized (this) {
      if (!round.isDone()) {
        return;
      }
      if (!attempted) {
        due = true;
      } else if (primed) {
        CacheEntry.Positive root = context.cache().records().positive(Name.root, Type.NS, CacheRank.ANSWER);
        // A flushed cache is not an expiry: closestDelegation uses the hints until the TTL runs out.
        due = root == null && context.cache().records().now() >= primedUntil;
      } else {
        due = System.nanoTime() - failedAtNanos >= ResolutionLimits.PRIMING_RETRY_INTERVAL.toNanos();
      }
    }
    if (due) {
      prime();
    }
  }

  /** The last priming round as /trace shows it. */
  synchronized Priming last() {
    return last;
  }

  private synchronized void finished(boolean cached, TraceRecorder recorder) {
    primed = cached;
    if (cached) {
      CacheEntry.Positive root = context.cache().records().positive(Name.root, Type.NS, CacheRank.ANSWER);
      primedUntil = root == null ? context.cache().records().now() : root.expiresAt();
    } else {
      failedAtNanos = System.nanoTime();
    }
    last = new Priming(cached ? Priming.RootServers.PRIMED : Priming.RootServers.HINTS, WHY, recorder.steps());
  }

  private void ask(DelegationPoint hints, TraceWriter writer, int attemptsLeft, CompletableFuture<Boolean> done) {
    InetAddress server = attemptsLeft > 0 ? context.selector().choose(hints.untriedAddresses()) : null;
    if (server == null) {
      log.warn("priming failed: no hinted root server gave the root NS set; resolving from the root hints");
      done.complete(false);
      return;
    }
    hints.markTried(server);
    askServer(server, Transport.UDP, hints, writer, attemptsLeft, done);
  }

  private void askServer(InetAddress server, Transport transport, DelegationPoint hints, TraceWriter writer,
      int attemptsLeft, CompletableFuture<Boolean> done) {
    Message query = context.queries().build(Name.root, Type.NS);
    Exchange sent = new Exchange(query, null, Name.root, server, context.roles().roleOf(server, Name.root), transport,
        System.nanoTime());
    context.metrics().upstreamQuery(sent.role(), transport.tag());
    context.client()
        .send(query, new InetSocketAddress(server, context.upstreamPort()), transport,
            context.limits().upstreamTimeout())
        .whenComplete((reply, error) -> {
          Throwable failure = error instanceof CompletionException ? error.getCause() : error;
          if (failure != null) {
            TraceOutcome outcome = failure instanceof UpstreamTimeoutException ? TraceOutcome.TIMEOUT
                : failure instanceof UpstreamBlockedException ? TraceOutcome.BLOCKED : TraceOutcome.ERROR;
            writer.write(sent, 0, hints, outcome, null, failure.getMessage() + "; asking another hinted root server",
                UpstreamRefusals.traced(failure));
            ask(hints, writer, attemptsLeft - 1, done);
            return;
          }
          context.selector().replied(server, reply.rtt());
          if (reply.message().getHeader().getFlag(Flags.TC) && transport == Transport.UDP) {
            // The priming reply is large (13 names, each with addresses): a root behind a small
            // UDP limit truncates it. RFC 1035 4.2.1, RFC 7766 5: a truncated reply means "ask
            // again over TCP"; the same server, the same attempt.
            writer.write(sent, 0, hints, TraceOutcome.TRUNCATED, reply.message(),
                "truncated: asking the same root server over TCP");
            askServer(server, Transport.TCP, hints, writer, attemptsLeft, done);
            return;
          }
          if (cache(reply.message())) {
            writer.write(sent, 0, hints, TraceOutcome.ANSWER, reply.message(),
                "priming: the root NS set and its addresses are cached and used instead of the hints");
            log.info("primed the root NS set from {}", server.getHostAddress());
            done.complete(true);
          } else {
            writer.write(sent, 0, hints, TraceOutcome.THROWAWAY, reply.message(),
                "no root NS set in the reply; asking another hinted root server");
            ask(hints, writer, attemptsLeft - 1, done);
          }
        });
  }

  /**
   * RFC 9609 4.1: a usable priming reply has the root NS set in its answer section; the addresses
   * of those servers in the additional section are cached beside it as glue.
   */
  private boolean cache(Message message) {
    if (message.getRcode() != Rcode.NOERROR) {
      return false;
    }
    ScrubbedReply reply = BailiwickScrubber.scrub(message, Name.root, Name.root);
    RRset nameServers = new RRset();
    for (Record record : reply.answer()) {
      if (record instanceof NSRecord && record.getName().equals(Name.root)) {
        nameServers.addRR(record);
      }
    }
    if (nameServers.size() == 0) {
      return false;
    }
    context.cache().records().putPositive(nameServers, CacheRank.ANSWER, Name.root);
    for (RRset glue : RRsets.group(reply.additional())) {
      context.cache().records().putPositive(glue, CacheRank.GLUE, Name.root);
    }
    return true;
  }
}
