package dev.dnslab.core.testing;

import java.lang.management.ManagementFactory;

/**
 * What a piece of code allocates on the calling thread, as the JVM counts it (HotSpot's
 * per-thread allocation counter), for tests that prove a fast path allocates nothing or less than
 * before: warmed up first, so the JIT's escape analysis has had its chance.
 */
public final class AllocatedBytes {
  private AllocatedBytes() {}

  /** Bytes this thread allocates per run of {@code call}, over {@code calls} runs after as many to warm up. */
  public static long perCall(int calls, Runnable call) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < calls; i++) {
      call.run();
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < calls; i++) {
      call.run();
    }
    return (threads.getCurrentThreadAllocatedBytes() - before) / calls;
  }
}
