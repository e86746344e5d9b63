package dev.dnslab.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Binding through the one transport choice, and the error a taken port gets. */
class ServerBindingTest {
  private final NettyTransport transport = NettyTransport.best();
  private EventLoopGroup group;

  @BeforeEach
  void startLoop() {
    group = transport.newGroup(1);
  }

  @AfterEach
  void stopLoop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private ServerBootstrap bootstrap() {
    return new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .childHandler(new ChannelInboundHandlerAdapter());
  }

  @Test
  void bindsAFreePortAndReportsTheRealOne() throws Exception {
    Channel channel = ServerBinding.bind(bootstrap(), new InetSocketAddress("127.0.0.1", 0), "tcp");
    try {
      assertThat(((InetSocketAddress) channel.localAddress()).getPort()).isPositive();
    } finally {
      channel.close().syncUninterruptibly();
    }
  }

  @Test
  void namesWhatAndWhereWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", taken.getLocalPort());

      assertThatThrownBy(() -> ServerBinding.bind(bootstrap(), address, "admin http"))
          .isInstanceOf(BindException.class)
          .hasMessageStartingWith("cannot bind admin http 127.0.0.1:" + taken.getLocalPort() + ": ")
          .hasMessageContaining("in use")
          .hasCauseInstanceOf(Exception.class);
    }
  }

  @Test
  void writesAnIpv6HostInBrackets() throws Exception {
    assertThat(ServerBinding.format(new InetSocketAddress(InetAddress.getByName("::1"), 53))).isEqualTo("[0:0:0:0:0:0:0:1]:53");
    assertThat(ServerBinding.format(new InetSocketAddress("127.53.0.11", 53))).isEqualTo("127.53.0.11:53");
  }
}
