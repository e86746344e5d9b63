package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;

/**
 * Answers correctly, but late: a slow or distant server. The answer is computed at once and held
 * back by a timer, so the event loop never blocks and other queries are answered meanwhile.
 * RFC 1035 7.2 and RFC 1536 1: a resolver waits a bounded time, then retries or tries another server.
 */
public final class DelayFault extends FaultHandler {
  private final Duration delay;

  public DelayFault(QueryMatch match, Duration delay, FaultListener listener) {
    super("delay " + delay.toMillis() + "ms", match, listener);
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
    }
    this.delay = delay;
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return next.proceed(request)
        .thenCompose(
            answer ->
                CompletableFuture.supplyAsync(
                    () -> answer,
                    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)));
  }

  public Duration delay() {
    return delay;
  }
}
