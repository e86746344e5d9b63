package dev.dnslab.core.fault;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.server.DnsHandler;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.SimpleResolver;

/** The lab's authoritative server on 127.0.0.1 with free ports and the given interceptors. */
final class FaultTestServer implements AutoCloseable {
  private final AuthorityServer server;

  private FaultTestServer(AuthorityServer server) {
    this.server = server;
  }

  static FaultTestServer start(List<DnsHandler> interceptors) throws Exception {
    AuthorityConfig config = AuthorityConfig.builder("authoritative-ns")
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .admin(new InetSocketAddress("127.0.0.1", 0))
        .zoneSources(List.of(labZones().resolve("authoritative")))
        .interceptors(interceptors)
        .build();
    return new FaultTestServer(new AuthorityServer(config).start());
  }

  InetSocketAddress address() {
    return server.dnsAddress();
  }

  SimpleResolver udp(Duration timeout) {
    SimpleResolver resolver = new SimpleResolver(address());
    resolver.setTimeout(timeout);
    resolver.setIgnoreTruncation(true);
    return resolver;
  }

  SimpleResolver tcp() {
    SimpleResolver resolver = udp(Duration.ofSeconds(3));
    resolver.setTCP(true);
    return resolver;
  }

  /** One raw datagram out and its reply back, for replies dnsjava's client would reject. */
  byte[] rawUdp(byte[] packet) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout(2000);
      socket.send(new DatagramPacket(packet, packet.length, address()));
      byte[] buffer = new byte[65535];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      return Arrays.copyOf(buffer, reply.getLength());
    }
  }

  /**
   * Sends every query at once from one socket and reads the replies until each ID has one or
   * nothing comes for 5 s: each reply's ID to the nanoseconds between its query and it.
   */
  Map<Integer, Long> rawUdpBurst(List<byte[]> queries) throws IOException {
    Map<Integer, Long> sent = new HashMap<>();
    Map<Integer, Long> lateness = new HashMap<>();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setReceiveBufferSize(1 << 20);
      socket.setSoTimeout(5000);
      for (byte[] query : queries) {
        sent.put(id(query), System.nanoTime());
        socket.send(new DatagramPacket(query, query.length, address()));
      }
      byte[] buffer = new byte[65535];
      try {
        while (lateness.size() < queries.size()) {
          DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
          socket.receive(reply);
          long received = System.nanoTime();
          Long sentAt = sent.get(id(buffer));
          if (sentAt != null) {
            lateness.putIfAbsent(id(buffer), received - sentAt);
          }
        }
      } catch (SocketTimeoutException quiet) {
        // the caller sees which replies are missing
      }
    }
    return lateness;
  }

  private static int id(byte[] message) {
    return ((message[0] & 0xFF) << 8) | (message[1] & 0xFF);
  }

  @Override
  public void close() {
    server.close();
  }

  private static Path labZones() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("zones/root"))) {
        return dir.resolve("zones");
      }
    }
    throw new IllegalStateException("cannot find the project's zones/ folder");
  }
}
