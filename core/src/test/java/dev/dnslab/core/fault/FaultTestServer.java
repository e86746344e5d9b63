package dev.dnslab.core.fault;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.server.DnsHandler;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
