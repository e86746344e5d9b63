package dev.dnslab.core.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The value of a stage that has already completed, so that a handler can finish its work on the
 * spot instead of chaining a callback: an authoritative answer completes before the handler that
 * asked for it returns, and each {@code thenApply} or {@code whenComplete} on it would allocate a
 * new stage and a lambda per query only to run at once on the same thread. A stage still pending
 * (the recursor waiting on the network) or failed gives null, and the caller chains as before.
 */
public final class ReadyStage {
  private ReadyStage() {}

  /** The value {@code stage} completed with normally, or null when it is pending or failed. */
  public static <T> T valueOrNull(CompletionStage<T> stage) {
    // Only a plain CompletableFuture: the stages of completedStage() and failedStage() throw
    // UnsupportedOperationException from isDone(), and a subclass may complete in its own way.
    if (stage != null
        && stage.getClass() == CompletableFuture.class
        && ((CompletableFuture<T>) stage).isDone()
        && !((CompletableFuture<T>) stage).isCompletedExceptionally()) {
      return ((CompletableFuture<T>) stage).join();
    }
    return null;
  }
}
