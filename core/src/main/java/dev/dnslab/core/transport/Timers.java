package dev.dnslab.core.transport;

import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Where a component runs its one-shot timers: the recursor's client response timers (RFC 8767 5)
 * and its validator's DS and DNSKEY fetch timers. The thread a timer fires on is the thread that
 * goes on with the work it waited for, so a server gives the event loop that owns that work (the
 * recursor gives its upstream client's {@code schedule}: the loop of the resolution that asked), and
 * a timed-out wait ends on the loop a timely answer would have. A task still queued when those loops
 * shut down never runs.
 *
 * <p>Not CompletableFuture.delayedExecutor or orTimeout: the first ran each due timer on the common
 * pool (a new Thread per timer where that pool has one thread, on 2 CPUs) and could not take a timer
 * back, so every wait held its task until it fired; the second fires on the JDK's one Delayer
 * thread, shared by every timeout of the JVM, which would then run the rest of the work.
 */
@FunctionalInterface
public interface Timers {
  /** Netty's one global timer thread: for a component that runs outside a server's event loops. */
  Timers GLOBAL = (task, delay) -> GlobalEventExecutor.INSTANCE.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);

  /**
   * Runs {@code task} once after {@code delay}; cancelling the future takes it off the queue.
   *
   * @throws RejectedExecutionException when the timers are shutting down
   */
  Future<?> schedule(Runnable task, Duration delay);
}
