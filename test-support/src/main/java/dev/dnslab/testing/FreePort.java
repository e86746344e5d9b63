package dev.dnslab.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A port free for both UDP and TCP on 127.0.0.1, for a daemon's listening socket. */
public final class FreePort {
  private static final int ATTEMPTS = 20;

  private FreePort() {}

  public static int find() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        int port = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          return tcp.getLocalPort();
        } catch (IOException taken) {
          // TCP has it: try another
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no port free for UDP and TCP on 127.0.0.1 after " + ATTEMPTS + " attempts");
  }
}
