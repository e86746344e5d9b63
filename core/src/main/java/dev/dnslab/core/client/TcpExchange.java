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
import java.util.function.Function;

/**
 * One query over a new TCP connection, for a question whose UDP reply came back truncated (RFC
 * 7766 5): the query and its reply each behind a two-byte length (RFC 1035 4.2.2), then closed (RFC
 * 7766 6.2.1 lets a client close once it has its answer). The connection reaches only the server
 * asked, so its one reply must answer the question; one that does not fails the exchange rather
 * than waiting on a stream the server has already spoken on. {@link DnsQuestion} and the
 * recursor's upstream client both retry over it; what counts as the reply is theirs ({@code
 * answer}). It has no timer of its own: the caller's timeout fails {@code reply}, which closes the
 * connection, as does any other completion.
 */
public final class TcpExchange {
  /** RFC 1035 4.2.2: the length is two bytes, so no message on a stream is longer. */
  private static final int MAX_STREAM_MESSAGE = 65535;

  private static final int LENGTH_BYTES = 2;

  private TcpExchange() {}

  /**
   * Connects to {@code server} from {@code loop}, sends {@code wire} and completes {@code reply}
   * with what {@code answer} makes of the first reply's bytes, or fails it when {@code answer}
   * gives null (not a reply to this query), the connection fails or closes first. Completes on
   * {@code loop}, but for a connection that could not even start.
   */
  public static <T> void start(EventLoop loop, NettyTransport transport, InetSocketAddress server, byte[] wire,
      Function<byte[], T> answer, CompletableFuture<T> reply) {
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
                    .addLast("reply", new ReplyHandler<>(answer, server, reply));
              }
            });
    ChannelFuture connected;
    try {
      connected = bootstrap.connect(server);
    } catch (RuntimeException noSocket) {
      reply.completeExceptionally(noSocket);
      return;
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
  }

  private static final class ReplyHandler<T> extends SimpleChannelInboundHandler<ByteBuf> {
    private final Function<byte[], T> answer;
    private final InetSocketAddress server;
    private final CompletableFuture<T> reply;

    ReplyHandler(Function<byte[], T> answer, InetSocketAddress server, CompletableFuture<T> reply) {
      this.answer = answer;
      this.server = server;
      this.reply = reply;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      T message = answer.apply(ByteBufUtil.getBytes(frame));
      if (message != null) {
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
