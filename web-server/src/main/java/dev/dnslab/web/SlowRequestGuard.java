package dev.dnslab.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deadline per HTTP/1.x request: it starts with the request's first byte and ends when the
 * decoder has the whole request. A client that trickles its request a byte at a time (slowloris)
 * keeps an idle timer happy, but not this one; at the deadline it gets 408 and the connection
 * closes (RFC 9110 15.5.9).
 *
 * <p>On HTTP/2, {@link Http2RequestHandler} keeps the same deadline per stream: it starts with the
 * HEADERS frame and ends when the stream's request is complete.
 *
 * <p>The timer is lazy, as in Netty's IdleStateHandler: a request only notes when its first byte came.
 * A timer is set only when a read ends with the request still incomplete (a request that arrives in
 * one read, the usual GET, never sets one), and it checks that time when it fires, re-arming itself
 * for a later request still in progress. Scheduling and cancelling a timer for every request cost
 * more than the request on a busy keep-alive connection or HTTP/2 stream.
 *
 * <p>It needs two places in the pipeline, so it hands out two handlers sharing one state: {@link
 * #bytesWatcher()} before the HTTP codec and {@link #requestWatcher()} after it. One guard per
 * connection.
 */
final class SlowRequestGuard {
  private final long timeoutNanos;
  private final Runnable onTimeout;
  /** When the current request's first byte came ({@link System#nanoTime()}), or -1 between requests. */
  private long requestStartNanos = -1;
  /** The pending check, if any; at most one per connection. */
  private ScheduledFuture<?> deadline;
  /** Where the 408 is written from: just after the HTTP codec, so only the codec encodes it. */
  private ChannelHandlerContext afterCodec;

  SlowRequestGuard(Duration timeout, Runnable onTimeout) {
    this.timeoutNanos = timeout.toNanos();
    this.onTimeout = onTimeout;
  }

  ChannelInboundHandler bytesWatcher() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (requestStartNanos < 0) {
          requestStartNanos = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelReadComplete(ChannelHandlerContext ctx) {
        // The decoder behind has seen every byte of this read: is a request still incomplete?
        if (requestStartNanos >= 0 && deadline == null) {
          schedule(ctx, requestStartNanos + timeoutNanos - System.nanoTime());
        }
        ctx.fireChannelReadComplete();
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
      }
    };
  }

  ChannelInboundHandler requestWatcher() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void handlerAdded(ChannelHandlerContext ctx) {
        afterCodec = ctx;
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LastHttpContent) {
          // The pending check finds no request in progress and lapses.
          requestStartNanos = -1;
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  /** 408 and close (RFC 9110 15.5.9); the caller closes the connection, or the HTTP/2 stream. */
  static FullHttpResponse timeoutResponse() {
    byte[] body = "408 Request Timeout: the request did not arrive in time.\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }

  private void schedule(ChannelHandlerContext ctx, long delayNanos) {
    deadline = ctx.executor().schedule(() -> check(ctx), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    requestStartNanos = -1;
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void check(ChannelHandlerContext ctx) {
    deadline = null;
    if (requestStartNanos < 0 || !ctx.channel().isActive()) {
      return;
    }
    long left = requestStartNanos + timeoutNanos - System.nanoTime();
    if (left > 0) {
      // A later request on the same connection: its own deadline.
      schedule(ctx, left);
      return;
    }
    requestStartNanos = -1;
    onTimeout.run();
    FullHttpResponse response = timeoutResponse();
    // Not through the channel's tail: the gzip handler would refuse a response without a request.
    (afterCodec != null ? afterCodec : ctx).writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
