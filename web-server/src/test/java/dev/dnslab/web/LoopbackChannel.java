package dev.dnslab.web;

import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An EmbeddedChannel with a client and a server address, as a TCP connection on loopback has: the
 * request handler and the access log read both as InetSocketAddress.
 */
final class LoopbackChannel extends EmbeddedChannel {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 80);

  @Override
  protected SocketAddress localAddress0() {
    return SERVER;
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return CLIENT;
  }
}
