package dev.dnslab.composeit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Free loopback ports for the compose file's published ports ({@code DNSLAB_*_PORT}), so the test
 * never collides with a lab a developer runs on the defaults (1053, 1443, 1853, 8080, 8443).
 */
record HostPorts(int dns, int doh, int dot, int http, int https) {
  static HostPorts free() {
    return new HostPorts(freeUdpAndTcp(), freeTcp(), freeTcp(), freeTcp(), freeTcp());
  }

  /** The environment that docker-compose.yml reads its host ports from. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DNSLAB_DNS_PORT", Integer.toString(dns));
    env.put("DNSLAB_DOH_PORT", Integer.toString(doh));
    env.put("DNSLAB_DOT_PORT", Integer.toString(dot));
    env.put("DNSLAB_HTTP_PORT", Integer.toString(http));
    env.put("DNSLAB_HTTPS_PORT", Integer.toString(https));
    return env;
  }

  private static int freeTcp() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** DNS is published on one number for UDP and TCP: find one free for both. */
  private static int freeUdpAndTcp() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = freeTcp();
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no loopback port free for both UDP and TCP");
  }
}
