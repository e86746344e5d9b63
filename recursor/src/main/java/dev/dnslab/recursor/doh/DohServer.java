package dev.dnslab.recursor.doh;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.config.Durations;
import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.server.IdleConnectionCloser;
import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.server.TcpConnectionLimiter;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.tls.ServerTlsContext;
import dev.dnslab.core.transport.AcceptedConnections;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.core.transport.ServerBinding;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over HTTPS (RFC 8484) on {@code https://ADDRESS/dns-query}: HTTP/2 or HTTP/1.1, chosen by
 * ALPN (RFC 7301). The initializers only wire; {@link DohHttp2Handler} (frame by frame, no child
 * channel per stream) and {@link DohHttpHandler} do the work. Connections are capped like DNS over TCP and TLS, by core's {@link
 * TcpConnectionLimiter}: at the cap the connection idle longest is closed to admit a new one (RFC
 * 9210 3.4, RFC 7766 6.2.3), so idle HTTP/2 connections cannot lock new clients out. A connection
 * with no traffic for the idle timeout is closed as well, unless one of its queries is still being
 * answered (core's {@link IdleConnectionCloser}, as for DNS over TCP and TLS).
 *
 * <pre>{@code
 * DohServer doh = DohServer.builder()
 *     .listen(new InetSocketAddress("127.53.0.53", 443))
 *     .alsoListen(List.of(InetAddress.getByName("fd00:53:53:127::53")))
 *     .tls(certificate.serverContext(IssuedCertificate.HTTP_ALPN))
 *     .processor(processor)
 *     .build()
 *     .start();
 * }</pre>
 */
public final class DohServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DohServer.class);

  /** A DNS message is at most 65535 bytes (RFC 8484 6: the same limit as TCP). */
  static final int MAX_BODY = 65535;

  /**
   * Longer than DoT's {@link DnsServer#DEFAULT_TCP_IDLE_TIMEOUT}: a browser keeps one DoH
   * connection for all its lookups (RFC 8484 5.2 and RFC 9113 9.1 ask clients to reuse
   * connections), so closing it between two page loads costs a TLS handshake each time; Unbound
   * gives its DoH connections the same 30 s ({@code tcp-idle-timeout}).
   */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The flushes of one read held back at most, as on DoT's TCP pipeline: the 64th goes out before
   * the read completes, so a read that brings many requests does not hold all their answers.
   */
  private static final int FLUSH_BATCH = 64;

  private final InetSocketAddress listen;
  private final List<InetAddress> alsoListen;
  /** Asked for at each connection: it may be built at the first (core's BuiltOnFirstUse). */
  private final ServerTlsContext tls;
  private final QueryProcessor processor;
  private final DohHttpHandler handler;
  private final TcpConnectionLimiter limiter;
  private final Duration idleTimeout;
  private final EventLoops sharedLoops;
  private final List<Channel> channels = new ArrayList<>();
  /** The connections open, closed by close() itself; null until started. */
  private AcceptedConnections connections;
  /** The loops the channels are registered with; null until started and after close. */
  private EventLoops loops;

  private DohServer(Builder config) {
    this.listen = config.listen;
    this.alsoListen = config.alsoListen;
    this.tls = new ServerTlsContext("DoH", config.tls, config.idleTimeout);
    this.processor = config.processor;
    this.handler = new DohHttpHandler(config.processor);
    this.limiter = new TcpConnectionLimiter(config.maxConnections, config.processor.metrics(), Transport.HTTPS);
    this.idleTimeout = config.idleTimeout;
    this.sharedLoops = config.sharedLoops;
  }

  public static Builder builder() {
    return new Builder();
  }

  public synchronized DohServer start() throws BindException {
    // Alone, one loop on the portable transport: DoH here serves a classroom's browsers, not a flood.
    loops = sharedLoops != null ? sharedLoops : EventLoops.start(NettyTransport.NIO, 1);
    NettyTransport transport = loops.transport();
    connections = new AcceptedConnections("doh");
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loops.group())
        .channel(transport.serverChannel())
        .childHandler(connections.childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast("limit", limiter)
                .addLast("idle", new IdleConnectionCloser(idleTimeout))
                // Below TLS, not above it: each answer is still wrapped into a TLS record of its
                // own when it is flushed (see DohHttp2Handler), but the records of one read leave
                // the socket together, in one write(2) when the read completes. Here it sees the
                // socket's own reads, each followed by its channelReadComplete.
                .addLast("flush-records", new FlushConsolidationHandler(FLUSH_BATCH, false));
            // A context that cannot be built (a broken stored lab CA) closed the connection, with one line.
            if (tls.addHandler(ch)) {
              ch.pipeline().addLast("alpn", new Negotiator());
            }
          }
        }));
    try {
      channels.add(ServerBinding.bind(bootstrap, listen, "DoH"));
      for (InetAddress extra : alsoListen) {
        // The same port on every address, like DnsServer's alsoListen: a DoH URI names one port.
        channels.add(ServerBinding.bind(bootstrap, new InetSocketAddress(extra, address().getPort()), "DoH"));
      }
    } catch (BindException e) {
      close();
      throw e;
    }
    log.info("DNS over HTTPS on {}", String.join(" and ",
        addresses().stream().map(a -> "https://" + ServerBinding.format(a) + DohHttpHandler.PATH).toList()));
    return this;
  }

  /**
   * After the TLS handshake: "h2" gets Netty's HTTP/2 frame codec and one {@link DohHttp2Handler}
   * for the whole connection; anything else, including a client that offers no ALPN at all, gets
   * HTTP/1.1 (RFC 7301 3.2): codec, aggregator, {@link DohHttpHandler}. Only wires.
   */
  private final class Negotiator extends ApplicationProtocolNegotiationHandler {
    Negotiator() {
      super(ApplicationProtocolNames.HTTP_1_1);
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        ctx.pipeline()
            .addLast("h2", Http2FrameCodecBuilder.forServer().initialSettings(Http2Settings.defaultSettings()).build())
            .addLast("doh-h2", new DohHttp2Handler(processor));
        return;
      }
      ctx.pipeline()
          .addLast("http", new HttpServerCodec())
          .addLast("aggregate", new HttpObjectAggregator(MAX_BODY))
          .addLast("doh", handler);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
      // Usually a client that does not trust the lab CA: its own error says so.
      log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  /** The address of {@code listen} as bound (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    if (channels.isEmpty()) {
      throw new IllegalStateException("not started");
    }
    return (InetSocketAddress) channels.get(0).localAddress();
  }

  /** Every address bound: {@link #address()} first, then the {@code alsoListen} ones. */
  public List<InetSocketAddress> addresses() {
    return channels.stream().map(channel -> (InetSocketAddress) channel.localAddress()).toList();
  }

  /** The connections open now. */
  synchronized Set<Channel> openConnections() {
    if (connections == null) {
      throw new IllegalStateException("not started");
    }
    return connections.open();
  }

  @Override
  public synchronized void close() {
    for (Channel channel : channels) {
      channel.close().syncUninterruptibly();
    }
    channels.clear();
    if (connections != null) {
      // After the listeners (no new connection), before the loops stop: see AcceptedConnections.
      connections.close();
    }
    if (loops != null) {
      loops.close();
    }
    loops = null;
  }

  /** Validates each setting as it is given. */
  public static final class Builder {
    private InetSocketAddress listen;
    private List<InetAddress> alsoListen = List.of();
    private Supplier<SslContext> tls;
    private QueryProcessor processor;
    private int maxConnections = DnsServer.DEFAULT_MAX_TCP_CONNECTIONS;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private EventLoops sharedLoops;

    private Builder() {}

    /**
     * The role's event loops, shared with its DNS server, instead of a loop of its own: a DoH
     * request is then answered as a DoT one is, on the loop its connection came to, and its
     * resolution's upstream queries leave from there; {@link DohServer#close} leaves them running.
     */
    public Builder eventLoops(EventLoops loops) {
      this.sharedLoops = requireNonNull(loops, "loops").borrowed();
      return this;
    }

    public Builder listen(InetSocketAddress listen) {
      this.listen = requireNonNull(listen, "listen");
      return this;
    }

    /** More addresses served on the port {@link #listen} got: the server's IPv6 address, say. */
    public Builder alsoListen(List<InetAddress> addresses) {
      this.alsoListen = List.copyOf(requireNonNull(addresses, "addresses"));
      return this;
    }

    /** The server's TLS context, offering h2 and http/1.1 by ALPN. */
    public Builder tls(SslContext tls) {
      requireNonNull(tls, "tls");
      return tls(() -> tls);
    }

    /**
     * The server's TLS context as {@code tls} gives it for each connection (e.g. built at the
     * first); a connection whose context cannot be built is closed with one WARN line (core's
     * ServerTlsContext).
     */
    public Builder tls(Supplier<SslContext> tls) {
      this.tls = requireNonNull(tls, "tls");
      return this;
    }

    public Builder processor(QueryProcessor processor) {
      this.processor = requireNonNull(processor, "processor");
      return this;
    }

    /** At most this many connections at once (default {@link DnsServer#DEFAULT_MAX_TCP_CONNECTIONS}). */
    public Builder maxConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConnections: " + max + " (expected: >= 1)");
      }
      this.maxConnections = max;
      return this;
    }

    /**
     * How long a connection with no query in flight may stay silent, its TLS handshake included
     * (default {@link #DEFAULT_IDLE_TIMEOUT}).
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Durations.requirePositive(timeout, "idleTimeout");
      return this;
    }

    public DohServer build() {
      requireNonNull(listen, "listen");
      requireNonNull(tls, "tls");
      requireNonNull(processor, "processor");
      return new DohServer(this);
    }
  }
}
