package dev.dnslab.core.lab;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a server's main thread in the foreground until the JVM is asked to stop (Ctrl-C, SIGTERM,
 * {@code docker stop}), then closes it. Every lab main ends this way.
 */
public final class ForegroundRun {
  /** How long shutdown waits for close(): SIGTERM must end the process even if close() hangs. */
  public static final long SHUTDOWN_GRACE_MILLIS = 5_000;

  private ForegroundRun() {}

  /** Blocks until shutdown, closes {@code server} (bounded by the grace time), and returns 0. */
  public static int untilShutdown(AutoCloseable server) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // Close on a daemon thread and wait a bounded time, so a close() that never returns cannot
      // keep the process alive.
      Thread closer = new Thread(() -> closeQuietly(server), "close");
      closer.setDaemon(true);
      closer.start();
      try {
        closer.join(SHUTDOWN_GRACE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopped.countDown();
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void closeQuietly(AutoCloseable server) {
    try {
      server.close();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(ForegroundRun.class).warn("closing {} failed", server, e);
    }
  }
}
