package dev.dnslab.core.client;

import dev.dnslab.core.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * {@link DnsQuestion}'s TCP half, for a question whose UDP reply came back truncated: one
 * connection, the query and its reply each behind a two-byte length (RFC 1035 4.2.2), then closed
 * (RFC 7766 6.2.1 lets a client close once it has its answer). The connection reaches only the
 * server asked, so its one reply must answer the question; one that does not fails the exchange
 * rather than waiting on a stream the server has already spoken on.
 */
final class TcpExchange {
  /** RFC 1035 4.2.2: the length is two bytes, so no message on a stream is longer. */
  private static final int MAX_STREAM_MESSAGE = 65535;

  private static final int LENGTH_BYTES = 2;

  private TcpExchange() {}

  /** Connects to {@code server} from {@code loop}, sends {@code wire} (the bytes of {@code query}), reads one reply. */
  static CompletableFuture<Message> start(
      EventLoop loop, NettyTransport transport, InetSocketAddress server, Message query, byte[] wire) {
    CompletableFuture<Message> reply = new CompletableFuture<>();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(transport.socketChannel())
            // The server's address is given: nothing to resolve, so no resolver kept per loop.
            .disableResolver()
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {
                channel.pipeline()
                    .addLast("frame", new LengthFieldBasedFrameDecoder(MAX_STREAM_MESSAGE, 0, LENGTH_BYTES, 0, LENGTH_BYTES))
                    .addLast("length", new LengthFieldPrepender(LENGTH_BYTES))
                    .addLast("reply", new ReplyHandler(query, server, reply));
              }
            });
    ChannelFuture connected;
    try {
      connected = bootstrap.connect(server);
    } catch (RuntimeException noSocket) {
      reply.completeExceptionally(noSocket);
      return reply;
    }
    reply.whenComplete((message, failure) -> connected.channel().close());
    connected.addListener(done -> {
      if (!done.isSuccess()) {
        reply.completeExceptionally(done.cause());
        return;
      }
      connected.channel().writeAndFlush(Unpooled.wrappedBuffer(wire)).addListener(written -> {
        if (!written.isSuccess()) {
          reply.completeExceptionally(written.cause());
        }
      });
    });
    return reply;
  }

  private static final class ReplyHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final Message query;
    private final InetSocketAddress server;
    private final CompletableFuture<Message> reply;

    ReplyHandler(Message query, InetSocketAddress server, CompletableFuture<Message> reply) {
      this.query = query;
      this.server = server;
      this.reply = reply;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      Message message = DnsQuestion.parse(ByteBufUtil.getBytes(frame));
      if (message != null && DnsQuestion.answers(query, message)) {
        reply.complete(message);
      } else {
        reply.completeExceptionally(new IOException("TCP reply from " + server + " does not answer the question"));
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      reply.completeExceptionally(new IOException("connection to " + server + " closed before a reply"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      reply.completeExceptionally(cause);
    }
  }
}
