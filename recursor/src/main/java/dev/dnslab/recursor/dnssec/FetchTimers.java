package dev.dnslab.recursor.dnssec;

import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Where the validator times its DS and DNSKEY fetches ({@link ValidationLimits#keyFetchTimeout()}).
 * The thread a timer fires on is the thread that goes on with the validation when a fetch times
 * out: its verdict, the key cache it writes, and the resolution and client answer waiting for it.
 * The recursor gives its own event loops (the loop of the resolution that asked), so a timed-out
 * validation ends on the loop a fetched one would have.
 */
@FunctionalInterface
public interface FetchTimers {
  /**
   * Netty's one global timer thread: for a validator that runs outside a recursor's event loops.
   * Not CompletableFuture.orTimeout: its timeouts fire on the JDK's one Delayer thread, shared by
   * every timeout of the JVM, which would then run the rest of the validation.
   */
  FetchTimers GLOBAL = (task, delay) -> GlobalEventExecutor.INSTANCE.schedule(task, delay.toNanos(),
      TimeUnit.NANOSECONDS);

  /**
   * Runs {@code task} once after {@code delay}; cancelling the future takes it off the queue.
   *
   * @throws RejectedExecutionException when the timers are shutting down
   */
  Future<?> schedule(Runnable task, Duration delay);
}
