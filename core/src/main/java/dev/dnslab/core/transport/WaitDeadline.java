package dev.dnslab.core.transport;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A deadline on a wait, run on a component's {@link Timers}: armed unless the wait is already
 * over, taken back as soon as the wait completes, and, when the timers refuse it (they are shutting
 * down), handed to the caller at once instead of the wait going untimed. The recursor's DNSSEC key
 * fetches (the validator's fetch timeout) and its client response timer (RFC 8767 5) both wait this
 * way.
 *
 * <p>Why the timer is taken back: most waits end in time, and a cancelled task leaves a Netty event
 * loop's queue at once, so a wait answered in time leaves nothing queued behind it for the whole
 * delay.
 */
public final class WaitDeadline {
  private WaitDeadline() {}

  /**
   * Runs {@code onExpiry} on {@code timers} after {@code delay} unless {@code wait} has completed by
   * then; nothing when it already has. {@code onExpiry} still checks what it finds: the wait may
   * complete while the timer fires.
   *
   * <p>What comes after the wait goes on from the returned future, which completes as {@code wait}
   * does once the timer has been taken back: a wait answered on another thread while this arms (a
   * reply already on its way) still finds its timer cancelled before anything after it runs.
   *
   * @param onRefused runs at once, on the calling thread, with the timers' refusal when they are
   *     shutting down; {@code onExpiry} then never runs
   * @return {@code wait} when nothing was armed, else the future that completes as it does after its
   *     timer is taken back
   */
  public static <T> CompletableFuture<T> arm(
      Timers timers,
      CompletableFuture<T> wait,
      Duration delay,
      Runnable onExpiry,
      Consumer<? super RejectedExecutionException> onRefused) {
    requireNonNull(onRefused, "onRefused");
    if (wait.isDone()) {
      return wait;
    }
    Future<?> timer;
    try {
      timer = timers.schedule(requireNonNull(onExpiry, "onExpiry"), delay);
    } catch (RejectedExecutionException shuttingDown) {
      onRefused.accept(shuttingDown);
      return wait;
    }
    return wait.whenComplete((result, error) -> timer.cancel(false));
  }
}
