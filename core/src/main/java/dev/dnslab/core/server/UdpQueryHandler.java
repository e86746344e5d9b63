package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one datagram, hands it to the {@link QueryProcessor}, writes the answer to the sender. */
@ChannelHandler.Sharable
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpQueryHandler.class);

  private final QueryProcessor processor;

  UdpQueryHandler(QueryProcessor processor) {
    this.processor = requireNonNull(processor, "processor");
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    InetSocketAddress client = packet.sender();
    // Straight from the received buffer, and written into a pooled one: no copy to the heap.
    ByteBuf known = processor.answerAtOnce(packet.content(), Transport.UDP, client, ctx.alloc());
    if (known != null) {
      send(ctx, known, client);
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(packet.content());
    InetSocketAddress server =
        packet.recipient() != null ? packet.recipient() : (InetSocketAddress) ctx.channel().localAddress();
    CompletionStage<ByteBuf> answer = processor.processDatagram(bytes, client, server, ctx.alloc());
    ByteBuf ready = ReadyStage.valueOrNull(answer);
    if (ready != null) {
      send(ctx, ready, client);
    } else {
      answer.thenAccept(wire -> send(ctx, wire, client));
    }
  }

  /**
   * A void promise: nobody waits on a datagram's write, and a failed one reaches exceptionCaught
   * below instead of allocating a promise per answer. The flush waits for the end of the read in the
   * FlushConsolidationHandler, so the answers to one batch of datagrams leave in one sendmmsg.
   */
  private static void send(ChannelHandlerContext ctx, ByteBuf wire, InetSocketAddress client) {
    if (wire != null) {
      ctx.writeAndFlush(new DatagramPacket(wire, client), ctx.voidPromise());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket error (e.g. ICMP port unreachable surfacing as PortUnreachableException) belongs
    // to one peer, never to the server: log it and keep the channel open.
    log.debug("udp channel error on {}: {}", ctx.channel().localAddress(), cause.toString());
  }
}
