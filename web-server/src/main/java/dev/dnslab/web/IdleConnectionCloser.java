package dev.dnslab.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after {@code timeout} without traffic (RFC 9112 9.8): nothing read and no
 * write completed, as Netty's IdleStateHandler with an all-idle time counts them.
 *
 * <p>That handler learns of each write's completion from a promise and listener of its own per
 * write (it un-voids even a void promise): per request, a promise object and its notification, 3 %
 * of the event loop's CPU under wrk (perf). Here a write the socket takes at once counts when the
 * flush that sent it returns, with no promise; only when bytes wait for the socket after a flush
 * does an empty buffer with a promise follow them, completing when the last of them is written.
 * The timer is lazy as in IdleStateHandler: one per connection, re-armed for the time left.
 */
final class IdleConnectionCloser extends ChannelDuplexHandler {
  private final long timeoutNanos;
  private long lastTrafficNanos;
  private ScheduledFuture<?> check;
  private boolean stopped;
  /** Inside channelReadComplete, which notes the time once its handlers (and their flush) are done. */
  private boolean completingRead;

  IdleConnectionCloser(long timeoutNanos) {
    if (timeoutNanos <= 0) {
      throw new IllegalArgumentException("timeoutNanos must be positive: " + timeoutNanos);
    }
    this.timeoutNanos = timeoutNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
      start(ctx);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
    super.channelRegistered(ctx);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  /*
   * The clock is read once per pass of reads: every read the transport delivers is followed by a
   * channelReadComplete, which notes the time after its handlers have answered and flushed, rather
   * than at each read, at the end of the reads and again at the flush: three clock reads per
   * request on a keep-alive connection, where one tells the same (within microseconds).
   */

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    completingRead = true;
    try {
      ctx.fireChannelReadComplete();
    } finally {
      completingRead = false;
    }
    lastTrafficNanos = ctx.executor().ticker().nanoTime();
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    ctx.flush();
    ChannelOutboundBuffer waiting = ctx.channel().unsafe().outboundBuffer();
    if (waiting == null || waiting.totalPendingWriteBytes() == 0) {
      if (!completingRead) {
        lastTrafficNanos = ctx.executor().ticker().nanoTime();
      }
    } else {
      // Written in order: this completes when everything flushed before it has been written.
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> lastTrafficNanos = ctx.executor().ticker().nanoTime());
    }
  }

  private void start(ChannelHandlerContext ctx) {
    if (check != null || stopped) {
      return;
    }
    lastTrafficNanos = ctx.executor().ticker().nanoTime();
    schedule(ctx, timeoutNanos);
  }

  private void schedule(ChannelHandlerContext ctx, long delayNanos) {
    check = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check(ChannelHandlerContext ctx) {
    if (stopped || !ctx.channel().isOpen()) {
      return;
    }
    long left = timeoutNanos - (ctx.executor().ticker().nanoTime() - lastTrafficNanos);
    if (left > 0) {
      schedule(ctx, left);
      return;
    }
    ctx.close();
  }

  private void stop() {
    stopped = true;
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }
}
