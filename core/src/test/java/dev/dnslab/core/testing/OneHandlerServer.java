package dev.dnslab.core.testing;

import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A DNS server on a free loopback port that answers with one handler, over real UDP and TCP, and
 * the asking side's event loops apart from the server's, so a test can stop the server alone and
 * ask again into the silence. A test holds it in an {@code @AutoClose} field.
 */
public final class OneHandlerServer implements AutoCloseable {
  private final EventLoops askingLoops = EventLoops.start(NettyTransport.best(), 1);
  private DnsServer server;

  /** Starts the server (one thread) answering with {@code handler}; its address. */
  public InetSocketAddress start(DnsHandler handler) throws Exception {
    server =
        DnsServer.builder("test")
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .threads(1)
            .chain(HandlerChain.of(handler))
            .build()
            .start();
    return server.address();
  }

  /** The loops a test asks from: not the server's. */
  public EventLoops askingLoops() {
    return askingLoops;
  }

  /** Stops the server; its port then answers nothing (or ICMP port unreachable). */
  public void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
    askingLoops.close();
  }
}
