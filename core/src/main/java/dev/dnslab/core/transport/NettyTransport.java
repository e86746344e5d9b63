package dev.dnslab.core.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/**
 * Which Netty transport every lab server and client uses: Linux's epoll when Netty's native library
 * loads (fewer copies and wake-ups, SO_REUSEPORT, recvmmsg), NIO elsewhere. The one place that
 * chooses, so event loops and channel classes always match.
 *
 * <p>Why not Netty 4.2's io_uring transport (netty-all brings it; the fat jar leaves it out): for
 * an authority's UDP it cost more CPU per answer than epoll in 23 of 24 alternated rounds, one a
 * tie (2026-12-06, --threads 1, dnsperf -c 8 -q 256: 7.3-9.7 against 5.5-6.6 us unlimited, 7.0-10.3
 * against 5.2-8.6 at 60k queries per second), mostly in the kernel: its datagram channel submits
 * one recvmsg and one sendmsg per datagram, each parked on an internal poll, where epoll reads up
 * to 8 with one recvmmsg and sends a wake-up's answers with one sendmmsg. Docker's default seccomp
 * profile refuses it anyway.
 *
 * <pre>{@code
 * NettyTransport transport = NettyTransport.best();
 * EventLoopGroup group = transport.newGroup(2);
 * new ServerBootstrap().group(group).channel(transport.serverChannel());
 * }</pre>
 */
public enum NettyTransport {
  EPOLL,
  NIO;

  /** Epoll when available, else NIO. */
  public static NettyTransport best() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /** An event loop group of {@code threads} loops for this transport's channels. */
  public EventLoopGroup newGroup(int threads) {
    return new MultiThreadIoEventLoopGroup(
        threads,
        switch (this) {
          case EPOLL -> EpollIoHandler.newFactory();
          case NIO -> NioIoHandler.newFactory();
        });
  }

  /**
   * Whether {@code executor} is an event loop of this transport (one made by {@link #newGroup}, or
   * any other loop driven by the same kind of I/O handler), so this transport's channels can be
   * registered with it.
   */
  public boolean drives(EventExecutor executor) {
    return executor instanceof IoEventLoop loop && loop.isIoType(switch (this) {
      case EPOLL -> EpollIoHandler.class;
      case NIO -> NioIoHandler.class;
    });
  }

  public Class<? extends ServerSocketChannel> serverChannel() {
    return switch (this) {
      case EPOLL -> EpollServerSocketChannel.class;
      case NIO -> NioServerSocketChannel.class;
    };
  }

  public Class<? extends SocketChannel> socketChannel() {
    return switch (this) {
      case EPOLL -> EpollSocketChannel.class;
      case NIO -> NioSocketChannel.class;
    };
  }

  public Class<? extends DatagramChannel> datagramChannel() {
    return switch (this) {
      case EPOLL -> EpollDatagramChannel.class;
      case NIO -> NioDatagramChannel.class;
    };
  }

  /**
   * A new, unregistered UDP channel of {@code peer}'s address family, for a client that talks to
   * that one peer: an IPv4 peer gets an IPv4 socket rather than the dual-stack IPv6 one {@link
   * #datagramChannel()} makes (no IPV6_V6ONLY call per socket, no v4-mapped addresses on the way).
   */
  public DatagramChannel newDatagramChannel(InetAddress peer) {
    SocketProtocolFamily family = peer instanceof Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    return switch (this) {
      case EPOLL -> new EpollDatagramChannel(family);
      case NIO -> new NioDatagramChannel(family);
    };
  }

  /**
   * How many UDP sockets serve one port with {@code threads} event loops: with epoll one per loop,
   * sharing the port through SO_REUSEPORT so the kernel spreads datagrams over them; NIO has a
   * single socket served by one loop.
   */
  public int udpSocketsPerPort(int threads) {
    return this == EPOLL ? threads : 1;
  }

  /**
   * Lets {@link #udpSocketsPerPort} sockets share one port (SO_REUSEPORT) and read up to {@code
   * readBufferBytes / maxDatagramBytes} datagrams per system call (recvmmsg). Only epoll can; NIO
   * reads one datagram per call and needs nothing set.
   */
  public Bootstrap shareUdpPort(Bootstrap bootstrap, int maxDatagramBytes) {
    if (this == EPOLL) {
      bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
      bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, maxDatagramBytes);
    }
    return bootstrap;
  }

  /** Lower-case name for logs: {@code epoll} or {@code nio}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
