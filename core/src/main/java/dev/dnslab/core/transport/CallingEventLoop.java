package dev.dnslab.core.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.Executor;

/**
 * The Netty event loop the calling thread runs, if any: where a caller that starts asynchronous
 * work (a query sent upstream, a timer, a held-back answer) has it continue. Replies and timers
 * then stay on the loop that owns the channel the answer leaves by and the state they touch (a
 * resolution, its client's question), written from the thread that would have written them at
 * once, with no hand-over to another thread and back; and a timer still pending when a server stops
 * dies with the server's loop. A caller on no loop (a test, a tool, a chain run outside a server)
 * gets the fallback it names.
 *
 * <p>Netty tells a loop's own thread its loop only through its internal {@code
 * ThreadExecutorMap}; this is the one place that reads it. A loop already shutting down is still
 * the caller's loop: its refusal (RejectedExecutionException) reaches the caller, which handles it,
 * rather than the work moving to a thread that outlives the server.
 */
public final class CallingEventLoop {
  private CallingEventLoop() {}

  /** The calling thread's event loop, or {@code fallback} when the caller runs on none. */
  public static EventExecutor orElse(EventExecutor fallback) {
    EventExecutor current = current();
    return current != null ? current : fallback;
  }

  /** The calling thread's event loop, or {@code fallback} when the caller runs on none. */
  public static Executor orElse(Executor fallback) {
    EventExecutor current = current();
    return current != null ? current : fallback;
  }

  /**
   * The calling thread's event loop when {@code transport} drives it, so that a channel of {@code
   * transport} can be registered with it; otherwise (no loop, or a loop of another kind) {@code
   * group}'s next loop, taken only then.
   */
  public static EventLoop orNext(EventLoopGroup group, NettyTransport transport) {
    EventExecutor current = current();
    return current != null && transport.drives(current) ? (EventLoop) current : group.next();
  }

  private static EventExecutor current() {
    EventExecutor current = ThreadExecutorMap.currentExecutor();
    return current != null && current.inEventLoop() ? current : null;
  }
}
