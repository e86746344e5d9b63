package dev.dnslab.core.server;

import dev.dnslab.core.config.Durations;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection after {@code timeout} without traffic: nothing read and no write completed,
 * as Netty's IdleStateHandler with an all-idle time counts them. One per connection of every
 * stream listener, first after the connection cap: DNS over TCP and TLS ({@link DnsServer}), the
 * recursor's DNS over HTTPS, and the web server's HTTP and HTTPS (RFC 9112 9.8). Below TLS, so it
 * sees the socket's own reads and writes.
 *
 * <p>A DNS stream connection (one {@link TcpConnectionLimiter} admitted) is not closed while a query
 * on it is still being answered: RFC 7766 6.2.3 asks servers to close idle connections, and to a
 * server a connection is idle once it "has sent responses to all the queries it has received on
 * that connection" (RFC 7766 3; RFC 1035 4.2.2: close only once "all outstanding client requests
 * have been satisfied"). A slow resolution is not the client's idleness. Whether a query is in
 * flight is what {@link TcpConnectionLimiter.StreamActivity} counts for eviction: one count, so the
 * two cannot disagree. Whoever answers marks the answer sent on the connection's event loop, after
 * writing it, so a check here never sees a connection idle whose answer is still on its way; the
 * answer's write restarts the clock, so a connection whose answer went out late gets the whole
 * timeout from then. A TLS handshake still under way is left to the TLS handler's own handshake
 * timeout, which the DNS listeners set to this timeout (see {@link
 * dev.dnslab.core.tls.ServerTlsContext}). The close starts at the pipeline's tail, not here, so it
 * passes every handler: an HTTP/2 connection says GOAWAY first (RFC 9113 6.8), TLS close_notify.
 *
 * <p>IdleStateHandler learns of each write's completion from a promise and listener of its own per
 * write (it un-voids even a void promise, such as the ones {@link TcpQueryHandler} writes with): per
 * answer, a promise object and its notification, 3 % of the web server's event loop CPU under wrk
 * (perf). Here a write the socket takes at once counts when the flush that sent it returns, with no
 * promise; only when bytes wait for the socket after a flush does an empty buffer with a promise
 * follow them, completing when the last of them is written. The timer is lazy as in
 * IdleStateHandler: one per connection, re-armed for the time left.
 */
public final class IdleConnectionCloser extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(IdleConnectionCloser.class);

  private final long timeoutNanos;
  private long lastTrafficNanos;
  private ScheduledFuture<?> check;
  private boolean stopped;
  /** Inside channelReadComplete, which notes the time once its handlers (and their flush) are done. */
  private boolean completingRead;

  /** @param timeout positive; one closer per connection */
  public IdleConnectionCloser(Duration timeout) {
    this.timeoutNanos = Durations.requirePositive(timeout, "timeout").toNanos();
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
    if (stillServing(ctx)) {
      // Looked at again a whole timeout later; the answer's write restarts the clock before that.
      schedule(ctx, timeoutNanos);
      return;
    }
    log.debug("closing idle connection {}", ctx.channel());
    ctx.channel().close();
  }

  /** A DNS query still being answered, or a TLS handshake under way (bounded by its own timeout). */
  private static boolean stillServing(ChannelHandlerContext ctx) {
    TcpConnectionLimiter.StreamActivity activity = TcpConnectionLimiter.activity(ctx.channel());
    if (activity != null && activity.busy()) {
      return true;
    }
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    return tls != null && !tls.handshakeFuture().isDone();
  }

  private void stop() {
    stopped = true;
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }
}
