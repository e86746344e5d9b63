package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.transport.CallingEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
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
    // The held-back answer waits on the event loop that runs this handler, the loop of the socket
    // the query came in on: it is written from the thread that would have written it at once, and a
    // timer still pending when the server stops dies with the loop. Not
    // CompletableFuture.delayedExecutor: it ran each due answer on the common pool, a new Thread per
    // answer where that pool has one thread (2 CPUs), and the answer then hopped back to the loop. A
    // chain run outside a server gets Netty's one global timer thread.
    EventExecutor timers = CallingEventLoop.orElse(GlobalEventExecutor.INSTANCE);
    return next.proceed(request).thenCompose(answer -> late(answer, timers));
  }

  /** {@code answer}, {@link #delay} from now; never, when the loop is shutting down with its server. */
  private CompletableFuture<Message> late(Message answer, EventExecutor timers) {
    CompletableFuture<Message> late = new CompletableFuture<>();
    try {
      timers.schedule(() -> late.complete(answer), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      // The server is closing its sockets: the answer could not leave anyway.
    }
    return late;
  }

  public Duration delay() {
    return delay;
  }
}
