package dev.dnslab.core.client;

import dev.dnslab.core.transport.NettyTransport;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * {@link DnsQuestion}'s UDP half: one query from a new socket (so from a new random port, RFC 5452
 * 9.2), connected to the server, so the kernel hands it only that server's datagrams (and an ICMP
 * port unreachable as an error). The socket is closed when the future completes, by its reply, a
 * failure, or the caller (its timeout).
 *
 * <p>A datagram that does not answer the question (another ID or question, or bytes that do not
 * parse) is ignored and the wait goes on, where SimpleResolver fails the query: such a datagram
 * carries the server's address but not necessarily its word (RFC 5452 3: an off-path attacker
 * forges exactly the server's address and port), so one forged packet would otherwise end the
 * question before the real reply, and the router would answer SERVFAIL for it. A server that only
 * sends such datagrams costs the caller its timeout, as a silent one does.
 */
final class UdpExchange {
  /**
   * The buffers of the DNS server's UDP sockets and the recursor's upstream ones, so a question
   * sets up no allocator state of its own on a loop. A first version on Netty's default allocator,
   * connected through a Bootstrap, idled the recursor 0.6 MiB of Pss_Anon higher than dnsjava's
   * client (bench/recursor/idle.sh, 5 pairs, 2026-12-07); this one as low (3 pairs).
   */
  private static final ByteBufAllocator BUFFERS = PooledByteBufAllocator.DEFAULT;

  /** Any datagram whole, as the recursor's upstream sockets read: a reply larger than asked for still parses. */
  private static final FixedRecvByteBufAllocator WHOLE_DATAGRAMS = new FixedRecvByteBufAllocator(65535);

  private static final String REPLY_HANDLER = "reply";

  private UdpExchange() {}

  /** Sends {@code wire} (the bytes of {@code query}) to {@code server} from a new socket on {@code loop}. */
  static CompletableFuture<Message> start(
      EventLoop loop, NettyTransport transport, InetSocketAddress server, Message query, byte[] wire) {
    CompletableFuture<Message> reply = new CompletableFuture<>();
    DatagramChannel channel;
    try {
      channel = transport.newDatagramChannel(server.getAddress());
    } catch (RuntimeException noSocket) {
      // Out of descriptors, or no IPv6 in this kernel: no reply, as with a timeout.
      reply.completeExceptionally(noSocket);
      return reply;
    }
    channel.config().setAllocator(BUFFERS).setRecvByteBufAllocator(WHOLE_DATAGRAMS);
    channel.pipeline().addLast(REPLY_HANDLER, new ReplyHandler(query, reply));
    reply.whenComplete((message, failure) -> channel.close());
    loop.register(channel).addListener(registered -> {
      if (!registered.isSuccess()) {
        reply.completeExceptionally(registered.cause());
        return;
      }
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

  /** Completes the exchange with the first datagram that answers the question; anything else is ignored. */
  private static final class ReplyHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Message query;
    private final CompletableFuture<Message> reply;

    ReplyHandler(Message query, CompletableFuture<Message> reply) {
      this.query = query;
      this.reply = reply;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      Message message = DnsQuestion.parse(ByteBufUtil.getBytes(packet.content()));
      if (message != null && DnsQuestion.answers(query, message)) {
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
