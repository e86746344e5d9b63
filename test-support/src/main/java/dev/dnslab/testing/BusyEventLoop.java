package dev.dnslab.testing;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one Netty event loop busy until its group's shutdown begins: the state in which Netty 4.2's
 * loop (SingleThreadIoEventLoop.run) ends without closing its channels, because it saw the shutdown
 * only after running its tasks. A test holds a connection on that loop, calls this, then stops the
 * server, and checks that the server closed the connection itself.
 *
 * <pre>{@code
 * BusyEventLoop.untilShutdownBegins(connection.eventLoop(), Duration.ofSeconds(1));
 * server.close();
 * assertThat(in.read()).isEqualTo(-1);
 * }</pre>
 */
public final class BusyEventLoop {
  /** How long the busy task may take to start: the loop may be finishing a read first. */
  private static final Duration START_DEADLINE = Duration.ofSeconds(10);

  private BusyEventLoop() {}

  /**
   * Runs a task on {@code loop} that spins until the loop's group is shutting down, or for
   * {@code atMost}; returns once that task has started, so the shutdown a caller starts next comes
   * while it runs, not before (a shutdown seen before the task lets the loop close its channels, and
   * the test would pass without the server's own close).
   */
  public static void untilShutdownBegins(EventLoop loop, Duration atMost) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    loop.execute(() -> {
      started.countDown();
      long deadline = System.nanoTime() + atMost.toNanos();
      while (!loop.parent().isShuttingDown() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    });
    if (!started.await(START_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the busy task did not start on " + loop + " within " + START_DEADLINE);
    }
  }
}
