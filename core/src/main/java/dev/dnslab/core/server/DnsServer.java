package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.config.Durations;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.transport.AcceptedConnections;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.core.transport.ServerBinding;
import dev.dnslab.core.wire.ResponseSizeLimit;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
 * A DNS server: one handler chain answering UDP and TCP on the same address and port, and
 * optionally DNS over TLS on a second port. Port 0 picks a free port, the same for UDP and TCP.
 *
 * <pre>{@code
 * DnsServer server = DnsServer.builder("authoritative")
 *     .listen(new InetSocketAddress("127.53.0.13", 53))
 *     .chain(HandlerChain.of(new QueryLogHandler("authoritative"), new AuthorityHandler(zones)))
 *     .metrics(new DnsMetrics(registry, "authoritative"))
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>{@code DnsServerExampleTest} runs this example, so it keeps compiling.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsServer.class);

  /** RFC 7766 6.2.3 suggests servers allow idle connections "on the order of seconds". */
  public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);

  /** Enough for a classroom of dig, browsers and resolvers; small enough to survive a flood. */
  public static final int DEFAULT_MAX_TCP_CONNECTIONS = 256;

  /** How long close() waits for sockets and event loops before giving up on them. */
  private static final long CLOSE_TIMEOUT_MILLIS = 3_000;

  /**
   * The largest UDP query read: far above any real query (a question plus an OPT is under 300
   * bytes; RFC 8467 pads queries to 128-byte blocks).
   */
  private static final int MAX_UDP_QUERY = 4096;

  /**
   * Datagrams one recvmmsg may read: the read buffer holds this many MAX_UDP_QUERY slots (32 KiB,
   * within the pooled allocator's thread cache, so no arena trip per read). Netty sets up every slot
   * on every recvmmsg however few datagrams arrive (Java and JNI work per slot); at a fixed 60k qps
   * a wake-up brings 8-12 datagrams, so 64 slots were mostly set up for nothing. Profiled there
   * (async-profiler cpu, 2026-12-06): user-space time per answer 1.96 us with 64 slots, 1.33 with 8.
   */
  private static final int UDP_READ_SLOTS = 8;

  /**
   * Most datagrams read in one wake-up: another recvmmsg follows a full one (UdpReadAllocator), so
   * a flood is still read in batches this large, its epoll_wait and the sendmmsg of its answers paid
   * once per batch (unlimited load brings 35-75 per wake-up). 64 matches UDP_FLUSH_BATCH, so one
   * wake-up's answers leave in one sendmmsg.
   */
  private static final int UDP_READ_BATCH = 64;

  /**
   * The UDP sockets' buffers: each read buffer and each answer. Not Netty's default (adaptive)
   * allocator: under 512 MiB of direct memory (jvm.options gives 64) it pools nothing larger than
   * 16.5 KiB and keeps no per-thread caches, so every read buffer (then 256 KiB) was a new
   * zeroed direct ByteBuffer, malloc'd and freed once per recvmmsg. The pooled allocator takes both
   * from the event loop's thread cache.
   */
  private static final ByteBufAllocator UDP_BUFFERS = PooledByteBufAllocator.DEFAULT;

  /** Most answers held back before a flush even in the middle of a read batch. */
  private static final int UDP_FLUSH_BATCH = 64;

  /** Attempts to find a port free for both UDP and TCP when asked for port 0. */
  private static final int EPHEMERAL_BIND_ATTEMPTS = 20;

  private final Builder config;
  private final QueryProcessor processor;
  private final List<Channel> channels = new ArrayList<>();
  /** The TCP and TLS connections open, closed by close() itself; null until started. */
  private AcceptedConnections connections;
  /** The loops the channels are registered with; null until started and after close. */
  private EventLoops loops;
  private InetSocketAddress boundAddress;
  private final List<InetSocketAddress> alsoBound = new ArrayList<>();
  private InetSocketAddress boundTlsAddress;
  private final List<InetSocketAddress> alsoBoundTls = new ArrayList<>();

  private DnsServer(Builder config) {
    this.config = config;
    this.processor = new QueryProcessor(config.chain, config.metrics, config.udpPayloadMax, config.shortcut);
  }

  public static Builder builder(String role) {
    return new Builder(role);
  }

  /** Binds the sockets; on failure nothing stays bound and the exception says which address. */
  public synchronized DnsServer start() throws BindException {
    if (loops != null) {
      throw new IllegalStateException("already started");
    }
    loops = config.sharedLoops != null ? config.sharedLoops : EventLoops.start(NettyTransport.best(), config.threads);
    NettyTransport transport = loops.transport();
    connections = new AcceptedConnections(config.metrics.role() + "-dns");
    try {
      bindDnsPort(transport);
      for (InetAddress extra : config.alsoListen) {
        // The same port on every address: a referral or a hint names addresses, never ports.
        InetSocketAddress address = new InetSocketAddress(extra, boundAddress.getPort());
        bindUdp(bindTcp(address, null, transport), transport);
        alsoBound.add(address);
      }
      if (config.tlsListen != null) {
        boundTlsAddress = bindTcp(config.tlsListen, config.tls, transport);
        for (InetAddress extra : config.alsoListen) {
          alsoBoundTls.add(bindTcp(new InetSocketAddress(extra, boundTlsAddress.getPort()), config.tls, transport));
        }
      }
    } catch (BindException | RuntimeException e) {
      close();
      throw e;
    }
    log.info(
        "{} listening on {} (udp+tcp){}",
        config.metrics.role(),
        alsoBound.isEmpty() ? boundAddress : boundAddress + " and " + alsoBound,
        boundTlsAddress != null ? " and " + tlsAddresses() + " (tls)" : "");
    return this;
  }

  private void bindDnsPort(NettyTransport transport) throws BindException {
    InetSocketAddress requested = config.listen;
    int attempts = requested.getPort() == 0 ? EPHEMERAL_BIND_ATTEMPTS : 1;
    BindException last = null;
    for (int i = 0; i < attempts; i++) {
      InetSocketAddress tcp = bindTcp(requested, null, transport);
      try {
        bindUdp(tcp, transport);
        boundAddress = tcp;
        return;
      } catch (BindException e) {
        last = e;
        closeChannels();
      }
    }
    throw last;
  }

  private InetSocketAddress bindTcp(InetSocketAddress address, Supplier<SslContext> tls, NettyTransport transport)
      throws BindException {
    TcpConnectionLimiter limiter =
        new TcpConnectionLimiter(config.maxTcpConnections, config.metrics, tls != null ? Transport.TLS : Transport.TCP);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops.group())
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(connections.childHandler(new TcpChannelInitializer(limiter, processor,
                tls != null ? config.tlsIdleTimeout() : config.tcpIdleTimeout, tls)));
    Channel channel = ServerBinding.bind(bootstrap, address, "tcp");
    channels.add(channel);
    return (InetSocketAddress) channel.localAddress();
  }

  private void bindUdp(InetSocketAddress address, NettyTransport transport) throws BindException {
    int sockets = transport.udpSocketsPerPort(loops.threads());
    for (int i = 0; i < sockets; i++) {
      Bootstrap bootstrap =
          new Bootstrap()
              .group(loops.group())
              .channel(transport.datagramChannel())
              .option(ChannelOption.ALLOCATOR, UDP_BUFFERS)
              .option(ChannelOption.RCVBUF_ALLOCATOR, new UdpReadAllocator(UDP_READ_SLOTS, MAX_UDP_QUERY, UDP_READ_BATCH))
              .option(ChannelOption.SO_RCVBUF, 1 << 20)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                      // Answers written while a batch of datagrams is being read are flushed
                      // together at the end of the batch: with epoll, one sendmmsg for many.
                      channel.pipeline().addLast("query", new UdpQueryHandler(processor, UDP_FLUSH_BATCH));
                    }
                  });
      // recvmmsg: read up to UDP_READ_SLOTS datagrams of MAX_UDP_QUERY bytes per system call.
      transport.shareUdpPort(bootstrap, MAX_UDP_QUERY);
      channels.add(ServerBinding.bind(bootstrap, address, "udp"));
    }
  }

  /** The UDP and TCP address actually bound (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    if (boundAddress == null) {
      throw new IllegalStateException("not started");
    }
    return boundAddress;
  }

  /**
   * The event loops its channels run on (its own or the shared ones), for a client of the same role
   * that asks now and then, such as its /health self-check: it needs no loop of its own. A
   * {@link EventLoops#borrowed()} view: closing it leaves this server's loops running.
   */
  public synchronized EventLoops eventLoops() {
    if (loops == null) {
      throw new IllegalStateException("not started");
    }
    return loops.borrowed();
  }

  /** Every UDP and TCP address bound: {@link #address()} first, then the {@code alsoListen} ones. */
  public List<InetSocketAddress> addresses() {
    List<InetSocketAddress> all = new ArrayList<>();
    all.add(address());
    all.addAll(alsoBound);
    return List.copyOf(all);
  }

  /** The DNS-over-TLS address, or null when TLS is not configured. */
  public InetSocketAddress tlsAddress() {
    return boundTlsAddress;
  }

  /** Every DNS-over-TLS address: {@link #tlsAddress()} first, then the {@code alsoListen} ones; empty without TLS. */
  public List<InetSocketAddress> tlsAddresses() {
    List<InetSocketAddress> all = new ArrayList<>();
    if (boundTlsAddress != null) {
      all.add(boundTlsAddress);
    }
    all.addAll(alsoBoundTls);
    return List.copyOf(all);
  }

  public DnsMetrics metrics() {
    return config.metrics;
  }

  /** The TCP and TLS connections open now. */
  synchronized Set<Channel> openConnections() {
    if (connections == null) {
      throw new IllegalStateException("not started");
    }
    return connections.open();
  }

  private void closeChannels() {
    for (Channel channel : channels) {
      channel.close().awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
    }
    channels.clear();
  }

  @Override
  public synchronized void close() {
    closeChannels();
    if (connections != null) {
      // After the listeners (no new connection), before the loops stop: see AcceptedConnections.
      connections.close();
    }
    alsoBound.clear();
    alsoBoundTls.clear();
    if (loops != null) {
      loops.close();
    }
    loops = null;
  }

  /** Validates each setting as it is given. */
  public static final class Builder {
    private final String role;
    private InetSocketAddress listen;
    private List<InetAddress> alsoListen = List.of();
    private HandlerChain chain;
    private AnswerShortcut shortcut;
    private DnsMetrics metrics;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private EventLoops sharedLoops;
    private int udpPayloadMax = ResponseSizeLimit.DEFAULT_EDNS_UDP;
    private Duration tcpIdleTimeout = DEFAULT_TCP_IDLE_TIMEOUT;
    /** Null until set: DoT then closes idle connections after {@link #tcpIdleTimeout}. */
    private Duration tlsIdleTimeout;
    private int maxTcpConnections = DEFAULT_MAX_TCP_CONNECTIONS;
    private InetSocketAddress tlsListen;
    private Supplier<SslContext> tls;

    private Builder(String role) {
      this.role = requireNonNull(role, "role");
    }

    public Builder listen(InetSocketAddress listen) {
      this.listen = requireNonNull(listen, "listen");
      return this;
    }

    /**
     * More addresses served on the same port as {@link #listen}, once it is bound: a server's IPv6
     * address beside its IPv4 one. With {@link #tls}, DNS over TLS is served on them too, on the
     * TLS port.
     */
    public Builder alsoListen(List<InetAddress> addresses) {
      this.alsoListen = List.copyOf(requireNonNull(addresses, "addresses"));
      return this;
    }

    public Builder chain(HandlerChain chain) {
      this.chain = requireNonNull(chain, "chain");
      return this;
    }

    /**
     * Answers plain queries it already knows without running {@link #chain}, or none when null (the
     * default): it must answer exactly as that chain would.
     */
    public Builder shortcut(AnswerShortcut shortcut) {
      this.shortcut = shortcut;
      return this;
    }

    public Builder metrics(DnsMetrics metrics) {
      this.metrics = requireNonNull(metrics, "metrics");
      return this;
    }

    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
      }
      this.threads = threads;
      return this;
    }

    /**
     * The role's event loops, shared with its other servers and clients, instead of loops of its
     * own: {@link #threads} is then theirs, and {@link #close} leaves them running for whoever
     * made them to stop.
     */
    public Builder eventLoops(EventLoops loops) {
      this.sharedLoops = requireNonNull(loops, "loops").borrowed();
      return this;
    }

    public Builder udpPayloadMax(int bytes) {
      if (bytes < ResponseSizeLimit.CLASSIC_UDP || bytes > 65535) {
        throw new IllegalArgumentException("udpPayloadMax: " + bytes + " (expected: 512..65535)");
      }
      this.udpPayloadMax = bytes;
      return this;
    }

    /**
     * How long a TCP connection with no query in flight may stay silent (default {@link
     * #DEFAULT_TCP_IDLE_TIMEOUT}); DoT's too unless {@link #tlsIdleTimeout} is set.
     */
    public Builder tcpIdleTimeout(Duration timeout) {
      this.tcpIdleTimeout = Durations.requirePositive(timeout, "tcpIdleTimeout");
      return this;
    }

    /**
     * How long a DNS-over-TLS connection with no query in flight may stay silent, its TLS handshake
     * included (default: {@link #tcpIdleTimeout}).
     */
    public Builder tlsIdleTimeout(Duration timeout) {
      this.tlsIdleTimeout = Durations.requirePositive(timeout, "tlsIdleTimeout");
      return this;
    }

    private Duration tlsIdleTimeout() {
      return tlsIdleTimeout != null ? tlsIdleTimeout : tcpIdleTimeout;
    }

    public Builder maxTcpConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxTcpConnections: " + max + " (expected: >= 1)");
      }
      this.maxTcpConnections = max;
      return this;
    }

    /** Also serve DNS over TLS (RFC 7858) on {@code address} with {@code context}. */
    public Builder tls(InetSocketAddress address, SslContext context) {
      requireNonNull(context, "context");
      return tls(address, () -> context);
    }

    /**
     * Also serve DNS over TLS (RFC 7858) on {@code address}, with the context {@code context} gives
     * for each connection: a {@link dev.dnslab.core.tls.BuiltOnFirstUse} builds it at the first. A
     * connection whose context cannot be built is closed with one WARN line ({@link
     * dev.dnslab.core.tls.ServerTlsContext}).
     */
    public Builder tls(InetSocketAddress address, Supplier<SslContext> context) {
      this.tlsListen = requireNonNull(address, "address");
      this.tls = requireNonNull(context, "context");
      return this;
    }

    public DnsServer build() {
      requireNonNull(listen, "listen");
      requireNonNull(chain, "chain");
      if (metrics == null) {
        metrics = new DnsMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), role);
      }
      return new DnsServer(this);
    }
  }
}
