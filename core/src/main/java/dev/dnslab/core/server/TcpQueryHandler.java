package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.wire.PlainQuery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the length-framed queries of one TCP (or TLS) connection. Queries are handled as they
 * arrive and each answer is written as soon as it is ready, so several queries on one connection
 * are answered in parallel and possibly out of order (RFC 7766 6.2.1.1).
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryHandler.class);

  private final QueryProcessor processor;
  private final Transport transport;
  /** Every query of this connection is read into this one, on the channel's event loop. */
  private final PlainQuery query = new PlainQuery();

  TcpQueryHandler(QueryProcessor processor, Transport transport) {
    this.processor = requireNonNull(processor, "processor");
    this.transport = requireNonNull(transport, "transport");
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    // Neither the limiter's eviction nor the idle timeout closes a connection with a query in
    // flight (RFC 7766 3 and 6.2.3).
    TcpConnectionLimiter.StreamActivity activity = TcpConnectionLimiter.activity(ctx.channel());
    if (activity != null) {
      activity.queryReceived();
    }
    InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
    ByteBuf known = processor.answerAtOnce(frame, query, transport, client, ctx.alloc());
    if (known != null) {
      if (activity != null) {
        activity.answerSent();
      }
      ctx.writeAndFlush(known, ctx.voidPromise());
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(frame);
    InetSocketAddress server = (InetSocketAddress) ctx.channel().localAddress();
    processor
        .process(bytes, transport, client, server)
        .thenAccept(
            messages -> {
              // Written, then marked done, on the connection's own loop: marked done on the thread
              // that resolved it, the idle timeout could close the connection between the two and
              // lose the answer (IdleConnectionCloser; TcpIdleTimeoutTest).
              if (ctx.executor().inEventLoop()) {
                answer(ctx, messages, activity);
              } else {
                ctx.executor().execute(() -> answer(ctx, messages, activity));
              }
            });
  }

  private static void answer(
      ChannelHandlerContext ctx, List<byte[]> messages, TcpConnectionLimiter.StreamActivity activity) {
    if (ctx.channel().isActive() && !messages.isEmpty()) {
      // A void promise: no promise, and no promise combiner in the length prefixer, per answer; a
      // failed write reaches exceptionCaught, which closes the connection.
      for (byte[] message : messages) {
        ctx.write(Unpooled.wrappedBuffer(message), ctx.voidPromise());
      }
      ctx.flush();
    }
    if (activity != null) {
      activity.answerSent();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing {} connection from {}: {}", transport.tag(), ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
