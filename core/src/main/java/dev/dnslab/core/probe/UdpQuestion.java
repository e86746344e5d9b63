package dev.dnslab.core.probe;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.transport.CallingEventLoop;
import dev.dnslab.core.transport.EventLoops;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * One DNS question over UDP from a socket on event loops the role already runs, for a question a
 * role asks itself now and then ({@link DnsSelfCheck}). dnsjava's SimpleResolver would do the
 * same, but its NIO client starts a selector thread of its own at the first question and keeps it
 * for the rest of the JVM's life, waking every second (dnsjava 3.6's selector timeout): in every
 * role, since compose asks /health every 5 s. The wire format stays dnsjava's {@link Message}.
 *
 * <p>The socket is connected to the server, so the kernel hands it only that server's datagrams
 * (and an ICMP port unreachable as an error); a reply counts when it is a response with the
 * query's ID. The socket is closed with the first reply, a failure or the timeout.
 */
final class UdpQuestion {
  /**
   * The buffers of the DNS server's UDP sockets and the recursor's upstream ones, so a question
   * sets up no allocator state of its own on a loop. A first version on Netty's default allocator,
   * connected through a Bootstrap, idled the recursor 0.6 MiB of Pss_Anon higher than dnsjava's
   * client (bench/recursor/idle.sh, 5 pairs, 2026-12-07); this one as low (3 pairs).
   */
  private static final ByteBufAllocator BUFFERS = PooledByteBufAllocator.DEFAULT;

  private static final String REPLY_HANDLER = "reply";

  private UdpQuestion() {}

  /** Completes with the reply of {@code server} to {@code query}, or fails (no reply within {@code timeout}, a refused port). */
  static CompletableFuture<Message> ask(EventLoops loops, InetSocketAddress server, Message query, Duration timeout) {
    requireNonNull(loops, "loops");
    requireNonNull(server, "server");
    requireNonNull(timeout, "timeout");
    CompletableFuture<Message> reply = new CompletableFuture<>();
    byte[] wire = query.toWire();
    DatagramChannel channel;
    EventLoop loop;
    try {
      channel = loops.transport().newDatagramChannel(server.getAddress());
      // The caller's own loop when it runs on one of these (the admin server's, sharing them):
      // the reply then comes back to the thread that asked.
      loop = CallingEventLoop.orNext(loops.group(), loops.transport());
    } catch (RuntimeException e) {
      // No socket (out of descriptors) or the loops already shut down: no reply, as with a timeout.
      reply.completeExceptionally(e);
      return reply;
    }
    channel.config().setAllocator(BUFFERS);
    channel.pipeline().addLast(REPLY_HANDLER, new ReplyHandler(query.getHeader().getID(), reply));
    reply.whenComplete((message, failure) -> channel.close());
    loop.register(channel).addListener(registered -> {
      if (!registered.isSuccess()) {
        reply.completeExceptionally(registered.cause());
        return;
      }
      ScheduledFuture<?> timer =
          loop.schedule(
              () -> reply.completeExceptionally(new SocketTimeoutException("no reply within " + timeout.toMillis() + " ms")),
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
      reply.whenComplete((message, failure) -> timer.cancel(false));
      channel.connect(server).addListener(connected -> {
        if (!connected.isSuccess()) {
          reply.completeExceptionally(connected.cause());
          return;
        }
        channel.writeAndFlush(channel.alloc().directBuffer(wire.length).writeBytes(wire)).addListener(written -> {
          if (!written.isSuccess()) {
            reply.completeExceptionally(written.cause());
          }
        });
      });
    });
    return reply;
  }

  /** Completes the question with the first response that carries its ID; anything else is ignored. */
  private static final class ReplyHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final int id;
    private final CompletableFuture<Message> reply;

    ReplyHandler(int id, CompletableFuture<Message> reply) {
      this.id = id;
      this.reply = reply;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      Message message;
      try {
        message = new Message(ByteBufUtil.getBytes(packet.content()));
      } catch (IOException unparsable) {
        reply.completeExceptionally(unparsable);
        return;
      }
      if (message.getHeader().getID() == id && message.getHeader().getFlag(Flags.QR)) {
        reply.complete(message);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A connected UDP socket reports the server's ICMP port unreachable here.
      reply.completeExceptionally(cause);
    }
  }
}
