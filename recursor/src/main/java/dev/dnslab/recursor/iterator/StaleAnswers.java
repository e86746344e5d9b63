package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The last good answer to each client question, kept past its TTL for serve-stale (RFC 8767): when
 * a fresh resolution fails, or is still running when the client response timer fires, the client
 * gets the kept answer with the stale TTL and the resolution goes on for the cache. Bounded like
 * the cache, dropping the least recently stored answer first.
 */
final class StaleAnswers {
  private record Question(Name name, int type) {}

  private record Kept(List<Record> answer, long staleUntilNanos) {}

  /** As many answers as the recursor's default cache holds entries. */
  static final int MAX_ENTRIES = 100_000;

  private final ServeStale policy;
  private final Map<Question, Kept> kept;

  StaleAnswers(ServeStale policy) {
    this.policy = requireNonNull(policy, "policy");
    this.kept = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Question, Kept> eldest) {
        return size() > MAX_ENTRIES;
      }
    };
  }

  /**
   * The client's outcome: {@code fresh} when it comes in time and is usable, otherwise the kept
   * answer, served stale. A fresh NOERROR answer is kept for next time.
   */
  CompletableFuture<Outcome> freshOrStale(Name name, int type, CompletableFuture<Outcome> fresh) {
    Question question = new Question(name, type);
    CompletableFuture<Outcome> client = new CompletableFuture<>();
    fresh.whenComplete((outcome, error) -> {
      if (outcome != null && outcome.rcode() != Rcode.SERVFAIL) {
        keep(question, outcome);
        client.complete(outcome);
        return;
      }
      // RFC 8767 4: the authorities gave nothing usable; a stale answer beats SERVFAIL.
      Outcome stale = stale(question);
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
    // RFC 8767 5: the client response timer; the resolution goes on and refreshes the cache.
    CompletableFuture.delayedExecutor(policy.clientResponseTimer().toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
      if (!client.isDone()) {
        Outcome stale = stale(question);
        if (stale != null) {
          client.complete(stale);
        }
      }
    });
    return client;
  }

  private void keep(Question question, Outcome outcome) {
    // A cache hit was kept when it was fetched, with the same expiry.
    if (outcome.rcode() != Rcode.NOERROR || outcome.answer().isEmpty() || outcome.fromCache()) {
      return;
    }
    long ttl = outcome.answer().stream().mapToLong(Record::getTTL).min().orElse(0);
    long staleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(ttl) + policy.window().toNanos();
    synchronized (kept) {
      kept.put(question, new Kept(outcome.answer(), staleUntil));
    }
  }

  /** The kept answer as a stale outcome, or null when there is none or it is past the window. */
  private Outcome stale(Question question) {
    Kept answer;
    synchronized (kept) {
      answer = kept.get(question);
      if (answer != null && System.nanoTime() - answer.staleUntilNanos() > 0) {
        kept.remove(question);
        answer = null;
      }
    }
    if (answer == null) {
      return null;
    }
    List<Record> records = answer.answer().stream()
        .map(record -> Record.newRecord(record.getName(), record.getType(), record.getDClass(), policy.answerTtl(),
            record.rdataToWireCanonical()))
        .toList();
    return Outcome.stale(records);
  }
}
