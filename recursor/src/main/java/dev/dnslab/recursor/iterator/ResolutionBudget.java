package dev.dnslab.recursor.iterator;

/**
 * The work one client query may cause, shared by its name server lookups: a count of upstream
 * queries and a deadline.
 */
final class ResolutionBudget {
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

  boolean expired() {
    return System.nanoTime() - deadlineNanos > 0;
  }
}
