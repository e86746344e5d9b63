package dev.dnslab.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
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
}
