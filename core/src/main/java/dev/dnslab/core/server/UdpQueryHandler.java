package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
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
    byte[] bytes = ByteBufUtil.getBytes(packet.content());
    InetSocketAddress client = packet.sender();
    InetSocketAddress server =
        packet.recipient() != null ? packet.recipient() : (InetSocketAddress) ctx.channel().localAddress();
    processor
        .process(bytes, Transport.UDP, client, server)
        .thenAccept(
            messages -> {
              if (messages.isEmpty()) {
                return;
              }
              // A void promise: nobody waits on a datagram's write, and a failed one reaches
              // exceptionCaught below instead of allocating a promise per answer.
              for (byte[] message : messages) {
                ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(message), client), ctx.voidPromise());
              }
              ctx.flush();
            });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket error (e.g. ICMP port unreachable surfacing as PortUnreachableException) belongs
    // to one peer, never to the server: log it and keep the channel open.
    log.debug("udp channel error on {}: {}", ctx.channel().localAddress(), cause.toString());
  }
}
