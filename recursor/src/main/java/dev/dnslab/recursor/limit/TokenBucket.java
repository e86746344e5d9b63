package dev.dnslab.recursor.limit;

/**
 * A token bucket: {@code rate} tokens a second up to {@code size}, one taken per query. Refilled
 * lazily from the time passed, so an idle bucket costs nothing.
 */
final class TokenBucket {
  private final double size;
  private final double tokensPerNano;
  private double tokens;
  private long updatedNanos;

  TokenBucket(int rate, int size, long nowNanos) {
    this.size = size;
    this.tokensPerNano = rate / 1e9;
    this.tokens = size;
    this.updatedNanos = nowNanos;
  }

  /** Takes one token if there is one. */
  synchronized boolean tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Whether the bucket has refilled completely: its network has been quiet, it can be forgotten. */
  synchronized boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= size;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - updatedNanos;
    if (elapsed > 0) {
      tokens = Math.min(size, tokens + elapsed * tokensPerNano);
      updatedNanos = nowNanos;
    }
  }
}
