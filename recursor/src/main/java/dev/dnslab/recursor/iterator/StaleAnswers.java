package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CachedAnswer;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.transport.Timers;
import dev.dnslab.core.transport.WaitDeadline;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * Serve-stale (RFC 8767) for client questions: when a fresh resolution fails, or is still running
 * when the client response timer fires, the client gets what the {@link RecordCache} still keeps
 * past its TTL (its stale window), with the stale TTL; the resolution goes on and refreshes the
 * cache. The data itself lives only in the cache, bounded like everything else there.
 */
final class StaleAnswers {
  private final ServeStale policy;
  private final RecordCache cache;
  private final int maxLinks;
  private final Judge judge;
  private final Timers timers;

  /** What a stale outcome becomes before it is served (its validation verdict), or null: not served. */
  @FunctionalInterface
  interface Judge {
    Judge AS_IS = (name, type, stale) -> stale;

    Outcome judge(Name name, int type, Outcome stale);
  }

  /**
   * @param maxLinks the most CNAMEs a stale answer follows, as a resolution would
   * @param judge gives each stale outcome its verdict before it is served
   * @param timers runs the client response timers: the recursor's own event loops, which it shuts
   *     down with it, so a question not answered at once holds its task only until it is answered
   */
  StaleAnswers(ServeStale policy, RecordCache cache, int maxLinks, Judge judge, Timers timers) {
    this.policy = requireNonNull(policy, "policy");
    this.cache = requireNonNull(cache, "cache");
    this.maxLinks = maxLinks;
    this.judge = requireNonNull(judge, "judge");
    this.timers = requireNonNull(timers, "timers");
    if (cache.staleWindow() < policy.window().toSeconds()) {
      throw new IllegalArgumentException("cache staleWindow: " + cache.staleWindow()
          + " s (expected: >= the serve-stale window, " + policy.window().toSeconds() + " s)");
    }
  }

  /** The client's outcome: {@code fresh} when it comes in time and is usable, otherwise a stale one. */
  CompletableFuture<Outcome> freshOrStale(Name name, int type, CompletableFuture<Outcome> fresh) {
    CompletableFuture<Outcome> client = new CompletableFuture<>();
    fresh.whenComplete((outcome, error) -> {
      if (outcome != null && outcome.rcode() != Rcode.SERVFAIL) {
        client.complete(outcome);
        return;
      }
      // RFC 8767 4: the authorities gave nothing usable; a stale answer beats SERVFAIL.
      Outcome stale = stale(name, type);
      if (stale != null) {
        client.complete(stale);
      } else if (outcome != null) {
        client.complete(outcome);
      } else {
        client.completeExceptionally(error);
      }
    });
    if (client.isDone()) {
      return client; // answered at once, from the cache: no timer needed
    }
    // RFC 8767 5: the client response timer; the resolution goes on and refreshes the cache. Taken
    // back once the client's outcome is decided (most questions are answered in time). Refused, the
    // recursor is closing: the client gets the resolution's outcome, if any. The client's own future
    // goes back, not arm's: nothing here depends on the timer being gone first, and a stage after it
    // would hand a failed resolution's error on wrapped in a CompletionException.
    WaitDeadline.arm(timers, client, policy.clientResponseTimer(),
        () -> answerStaleIfStillWaiting(name, type, client), shuttingDown -> {});
    return client;
  }

  /** The client response timer fired: a stale answer, if the cache keeps one, unless fresh came first. */
  private void answerStaleIfStillWaiting(Name name, int type, CompletableFuture<Outcome> client) {
    if (!client.isDone()) {
      Outcome stale = stale(name, type);
      if (stale != null) {
        client.complete(stale);
      }
    }
  }

  /** What the cache keeps for the question within its stale window, judged, or null. */
  private Outcome stale(Name name, int type) {
    CachedAnswer cached = CachedAnswer.lookUpStale(cache, name, type, maxLinks, policy.answerTtl());
    Outcome stale;
    if (cached instanceof CachedAnswer.Data data) {
      stale = Outcome.stale(Rcode.NOERROR, data.chain(), List.of(), data.signatures(), data.proofs());
    } else if (cached instanceof CachedAnswer.Negative negative) {
      stale = Outcome.stale(negative.nxdomain() ? Rcode.NXDOMAIN : Rcode.NOERROR, negative.chain(),
          List.of(negative.soa()), negative.signatures(), negative.proofs());
    } else {
      return null; // a Miss: nothing kept (a stale walk never gives Failed)
    }
    return judge.judge(name, type, stale);
  }
}
