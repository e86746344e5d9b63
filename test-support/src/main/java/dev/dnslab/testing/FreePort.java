package dev.dnslab.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port free for both UDP and TCP on 127.0.0.1, for a daemon's listening socket.
 *
 * <p>Picked below the kernel's ephemeral range (net.ipv4.ip_local_port_range), not by binding
 * port 0: the kernel hands ports of that range to every socket that sends without binding, and the
 * resolvers these tests run send each upstream query from a fresh random port (RFC 5452 9.2). A
 * port found free there was taken again by such a socket before named could bind it ("creating
 * IPv4 interface lo failed", a CI run of BindMatrixIT). Below the range only an explicit bind can
 * take it.
 */
public final class FreePort {
  private static final int ATTEMPTS = 200;
  /** Above the ports daemons commonly hold (up to 9999), below any ephemeral range Linux allows. */
  private static final int LOWEST = 10_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Linux's default when the range cannot be read. */
  private static final int DEFAULT_EPHEMERAL_LOW = 32_768;

  private FreePort() {}

  public static int find() {
    int below = ephemeralLow();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (freeForUdpAndTcp(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no port in [" + LOWEST + ", " + below + ") free for UDP and TCP on 127.0.0.1 after "
        + ATTEMPTS + " attempts");
  }

  /** The first port of the kernel's ephemeral range: ports from it on may be handed out at any time. */
  static int ephemeralLow() {
    try {
      String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
      int low = Integer.parseInt(range[0]);
      return low > LOWEST + 1_000 ? low : DEFAULT_EPHEMERAL_LOW;
    } catch (IOException | RuntimeException unreadable) {
      return DEFAULT_EPHEMERAL_LOW;
    }
  }

  private static boolean freeForUdpAndTcp(int port) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port));
        ServerSocket tcp = new ServerSocket(port, 1, loopback)) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
