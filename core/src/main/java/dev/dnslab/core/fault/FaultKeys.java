package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The keys one DNSSEC fault needs, each got once per fault and key name, on the fault-key thread:
 * never on the event loop that answers. A key pair can take seconds to make (RSA's prime search in a
 * cold JVM), and reading the key folder waits for its lock while another server makes its keys;
 * meanwhile the loop answers other queries, and the affected one is answered when its key is there.
 * A failure is kept for the queries waiting on it; the next query that needs the key tries again.
 *
 * @param <K> what names a key, e.g. the zone it belongs to
 * @param <V> the key, e.g. a {@code ZoneKey} or a zone's {@code ZoneKeys}
 */
final class FaultKeys<K, V> {
  /**
   * One thread for every fault of the JVM: keys are made rarely, and one at a time keeps them off
   * the cores the event loops answer on. It ends after a minute without work.
   */
  private static final Executor MAKER = maker();

  private final Map<K, CompletableFuture<V>> keys = new ConcurrentHashMap<>();
  private final Executor executor;

  FaultKeys() {
    this(MAKER);
  }

  /** Keys got on {@code executor}: tests hold it to see the server answer meanwhile. */
  FaultKeys(Executor executor) {
    this.executor = requireNonNull(executor, "executor");
  }

  /**
   * The key named {@code name}, being got by {@code get} on the fault-key thread unless this fault
   * has it or is getting it already (then {@code get} is not called); a failed attempt is replaced.
   */
  CompletableFuture<V> start(K name, Supplier<V> get) {
    requireNonNull(get, "get");
    return keys.compute(name, (k, known) -> known == null || known.isCompletedExceptionally()
        ? CompletableFuture.supplyAsync(get, executor)
        : known);
  }

  /**
   * The key named {@code name}, once {@link #start} has got it; the failure of getting it as
   * {@code get} threw it.
   *
   * @throws IllegalStateException when it was never started or is still being got: the caller
   *     waits for {@link #start}'s stage first
   */
  V got(K name) {
    CompletableFuture<V> key = keys.get(name);
    if (key == null || !key.isDone()) {
      throw new IllegalStateException("the key " + name + " is not there yet (expected: start(" + name + ") completed)");
    }
    try {
      return key.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private static Executor maker() {
    ThreadPoolExecutor maker = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), task -> {
      Thread thread = new Thread(task, "dnslab-fault-keys");
      thread.setDaemon(true);
      return thread;
    });
    maker.allowCoreThreadTimeOut(true);
    return maker;
  }
}
