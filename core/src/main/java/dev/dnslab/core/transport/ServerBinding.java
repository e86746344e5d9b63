package dev.dnslab.core.transport;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Binds a Netty bootstrap and turns any failure into a {@link BindException} that names what was
 * being bound and where, e.g. {@code cannot bind udp 127.53.0.11:53: Permission denied}, so that
 * {@link dev.dnslab.core.lab.BindAdvice} can tell a newcomer what to do about it.
 */
public final class ServerBinding {
  private ServerBinding() {}

  /**
   * Binds {@code bootstrap} to {@code address} and waits for it.
   *
   * @param what what is being bound, for the message: {@code udp}, {@code tcp}, {@code https}, ...
   */
  public static Channel bind(AbstractBootstrap<?, ?> bootstrap, InetSocketAddress address, String what)
      throws BindException {
    try {
      return bootstrap.bind(address).syncUninterruptibly().channel();
    } catch (Exception e) {
      // Netty rethrows the socket's own exception (checked or not) from sync(); whatever it is,
      // the caller needs the address and protocol that failed to bind, and why.
      BindException bind = new BindException("cannot bind " + what + " " + format(address) + ": " + e.getMessage());
      bind.initCause(e);
      throw bind;
    }
  }

  /**
   * Whether a socket can be bound to {@code address} on this host (or in the network namespace
   * this process runs in): the address is assigned to an interface. Binding is the test, not a
   * look at the interface list, because binding is what the servers will do.
   */
  public static boolean canBind(InetAddress address) {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code host:port}, with an IPv6 host in brackets (RFC 3986 3.2.2). */
  public static String format(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
