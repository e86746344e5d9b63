package dev.dnslab.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.RawDns;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.testing.DnsStreamFrame;
import dev.dnslab.testing.BusyEventLoop;
import io.netty.channel.Channel;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A stopping DNS server closes its TCP connections itself. Netty 4.2's event loop closes its
 * channels only if it sees the shutdown before running its tasks; a shutdown that came while a
 * task ran ended the loop with the connection open: the socket never closed, and the frame
 * decoder's half-read query never released. On loops the server only borrowed, nothing closed it
 * before the loops stopped.
 */
class StoppingDnsServerTest {
  /** How long the connection's loop stays busy at most, waiting for the shutdown to begin. */
  private static final Duration BUSY_AT_MOST = Duration.ofSeconds(1);

  /** Longer than the busy loop and the server's wait for its connections together. */
  private static final int READ_TIMEOUT_MILLIS = 5_000;

  @Test
  void closesAConnectionWithAHalfSentQueryEvenWhenItsLoopIsBusyAsTheLoopsStop() throws Exception {
    // Three loops: the TCP listener takes the first, the UDP socket (NIO: one) the second, the
    // connection the third, so only the connection's loop is kept busy and the listeners close at once.
    EventLoops loops = EventLoops.start(NettyTransport.NIO, 3);
    DnsServer server = DnsServer.builder("test")
        .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .eventLoops(loops)
        .chain(HandlerChain.of((request, next) -> CompletableFuture.completedFuture(request.newResponse(Rcode.NOERROR))))
        .build()
        .start();
    try (Socket client = RawDns.tcp(server.address(), READ_TIMEOUT_MILLIS)) {
      // One whole query, answered, and the start of the next, which the frame decoder keeps.
      ByteArrayOutputStream sent = new ByteArrayOutputStream();
      DnsStreamFrame.write(new DataOutputStream(sent), RawDns.query("example.", Type.A, 1));
      byte[] next = RawDns.query("example.", Type.A, 2);
      sent.write(new byte[] {0, (byte) next.length});
      sent.write(next, 0, next.length / 2);
      client.getOutputStream().write(sent.toByteArray());
      DataInputStream in = new DataInputStream(client.getInputStream());
      assertThat(new Message(DnsStreamFrame.read(in)).getHeader().getID()).isEqualTo(1);
      assertThat(server.openConnections()).hasSize(1);
      Channel connection = server.openConnections().iterator().next();
      BusyEventLoop.untilShutdownBegins(connection.eventLoop(), BUSY_AT_MOST);

      server.close();
      loops.close();

      assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
      assertThat(connection.isOpen()).isFalse();
    } finally {
      server.close();
      loops.close();
    }
  }

}
