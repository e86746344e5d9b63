package dev.dnslab.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NettyTransportTest {
  @Test
  void drivesTheLoopsOfItsOwnGroupsAndNoOtherKind() {
    NettyTransport transport = NettyTransport.best();
    NettyTransport other = transport == NettyTransport.EPOLL ? NettyTransport.NIO : NettyTransport.EPOLL;
    EventLoopGroup group = transport.newGroup(1);
    DefaultEventLoop plain = new DefaultEventLoop();
    try {
      assertThat(transport.drives(group.next())).as("a loop of its own kind takes its channels").isTrue();
      assertThat(other.drives(group.next())).as("another transport's channels cannot register there").isFalse();
      assertThat(transport.drives(plain)).as("a loop without I/O").isFalse();
      assertThat(transport.drives(null)).isFalse();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      plain.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void aChannelForOnePeerSendsToItFromAPortTheKernelPicksWithoutBind() throws Exception {
    NettyTransport transport = NettyTransport.best();
    EventLoopGroup group = transport.newGroup(1);
    try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      peer.setSoTimeout(2000);
      InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
      DatagramChannel channel = transport.newDatagramChannel(peerAddress.getAddress());
      channel.config().setOption(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true);
      group.register(channel).syncUninterruptibly();
      channel.writeAndFlush(new io.netty.channel.socket.DatagramPacket(
          Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII), peerAddress)).syncUninterruptibly();

      DatagramPacket received = new DatagramPacket(new byte[16], 16);
      peer.receive(received);
      assertThat(new String(received.getData(), 0, received.getLength(), StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(received.getPort()).as("an ephemeral port the kernel chose at the send").isPositive();
      channel.close().syncUninterruptibly();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
