package dev.dnslab.web;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/** Linux's epoll when Netty's native library loads (fewer copies, fewer wake-ups), NIO elsewhere. */
record ServerTransport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> channelClass) {
  static ServerTransport best() {
    if (Epoll.isAvailable()) {
      return new ServerTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }
    return new ServerTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }
}
