package dev.dnslab.junit.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A port free for both UDP and TCP on 127.0.0.1, for a resolver's listening socket. */
final class FreePort {
  private FreePort() {}

  static int find() {
    for (int attempt = 0; attempt < 20; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        int port = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          return tcp.getLocalPort();
        } catch (IOException taken) {
          // try another
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no port free for UDP and TCP on 127.0.0.1");
  }
}
