package dev.dnslab.recursor.iterator;

/**
 * The work one client query may cause, shared by its name server lookups: a count of upstream
 * queries, a deadline, and the name server lookups under way (to see cycles).
 */
final class ResolutionBudget {
  private final NameServerLookups lookups = new NameServerLookups();
  private final int maxQueries;
  private final long deadlineNanos;
  private int sent;

  ResolutionBudget(ResolutionLimits limits) {
    this.maxQueries = limits.maxUpstreamQueries();
    this.deadlineNanos = System.nanoTime() + limits.resolutionTimeout().toNanos();
  }

  synchronized boolean trySpend() {
    if (sent >= maxQueries) {
      return false;
    }
    sent++;
    return true;
  }

  synchronized int sent() {
    return sent;
  }

  /** The name servers whose addresses this client query is looking up right now. */
  NameServerLookups lookups() {
    return lookups;
  }

  boolean expired() {
    return System.nanoTime() - deadlineNanos > 0;
  }

  /**
   * How long the next upstream query may wait: the per-query timeout, but never past the deadline,
   * so the client gets our answer (SERVFAIL at worst) before its own stub gives up.
   */
  java.time.Duration nextWait(java.time.Duration upstreamTimeout) {
    long left = deadlineNanos - System.nanoTime();
    return left < upstreamTimeout.toNanos() ? java.time.Duration.ofNanos(Math.max(left, 0)) : upstreamTimeout;
  }
}
