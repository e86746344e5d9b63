package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.tls.BuiltOnFirstUse;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.core.transport.AcceptedConnections;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.core.transport.ServerBinding;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.NetUtil;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web server of every lab site: HTTP/1.1 on one port, HTTPS (h2 and http/1.1 by ALPN) on
 * another, and the admin port with /metrics and /health.
 *
 * <pre>{@code
 * try (WebServer web = new WebServer(WebServerConfig.onPorts(loopback, 0, 0, 0, sites, stateDir)).start()) {
 *   URI page = URI.create("http://127.0.0.1:" + web.httpAddress().getPort() + "/");
 * }
 * }</pre>
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);

  /** How long a stopping server waits for its last access-log lines to be written. */
  private static final Duration ACCESS_LOG_FLUSH_TIMEOUT = Duration.ofSeconds(2);

  private final WebServerConfig config;
  private final PrometheusMeterRegistry registry;
  private EventLoopGroup group;
  private Channel http;
  private Channel https;
  /** HTTP and HTTPS on the alsoListen addresses. */
  private final List<Channel> alsoBound = new ArrayList<>();
  /**
   * Every open client connection, closed by close() before the event loops stop (core's
   * AcceptedConnections says why: SlowClientsTest's 1,000 connections, closing just before the
   * server stops, left an HTTP decoder's half-read request unreleased; see StoppingServerTest).
   * Null until started.
   */
  private AcceptedConnections connections;
  private AdminServer admin;
  private SiteCatalog sites;
  /** Read at the first HTTPS connection or lab CA download (core's loadOnFirstUse, see start()). */
  private BuiltOnFirstUse<LabCertificateAuthority> ca;

  public WebServer(WebServerConfig config) {
    this(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** With a registry shared with other lab servers (e.g. when they run in one JVM). */
  public WebServer(WebServerConfig config, PrometheusMeterRegistry registry) {
    this.config = requireNonNull(config, "config");
    this.registry = requireNonNull(registry, "registry");
  }

  /**
   * Loads the sites, checks the lab CA's files (or creates the CA), checks the names of the site
   * certificates (issued at the first HTTPS connection) and binds all three ports.
   *
   * <p>A stored CA is read when it is first needed: the first HTTPS connection or the first download
   * of {@value WebRequestHandler#CA_PATH}. Reading it is the JDK's X.509 parser, every security
   * provider and an ECDSA signature made and checked, which a web server reached only over plain
   * HTTP, as compose's health check and most learners reach it, never needs again.
   *
   * @throws BindException when a port cannot be bound (nothing stays bound then)
   * @throws IllegalArgumentException when the sites folder holds no usable site
   */
  public synchronized WebServer start() throws BindException {
    if (group != null) {
      throw new IllegalStateException("already started");
    }
    sites = SiteCatalog.load(config.sites());
    BuiltOnFirstUse<LabCertificateAuthority> authority = LabCertificateAuthority.loadOnFirstUse(config.stateDir());
    ca = authority;
    WebMetrics metrics = new WebMetrics(registry, sites);
    WebPipeline pipeline = new WebPipeline(config.limits(), metrics);
    StaticSiteResponder files = new StaticSiteResponder(metrics);
    Supplier<byte[]> caPem =
        new BuiltOnFirstUse<>(() -> authority.get().certificatePem().getBytes(StandardCharsets.US_ASCII));
    WebRequestHandler plainHandler = new WebRequestHandler(sites, files, metrics, "http", caPem);
    WebRequestHandler tlsHandler = new WebRequestHandler(sites, files, metrics, "https", caPem);
    var certificates = SiteCertificates.issueOnFirstUse(authority, sites, config.certificateAddresses());

    NettyTransport transport = NettyTransport.best();
    group = transport.newGroup(config.threads());
    connections = new AcceptedConnections("web");
    try {
      // Initializers are @Sharable: one each for every address.
      PlainHttpInitializer plain = new PlainHttpInitializer(pipeline, plainHandler);
      HttpsInitializer secure = new HttpsInitializer(certificates, pipeline, tlsHandler);
      http = bind(transport, config.http(), "http", plain);
      https = bind(transport, config.https(), "https", secure);
      for (InetAddress extra : config.alsoListen()) {
        // The same ports on every address: a URL names one port for all of a host's addresses.
        alsoBound.add(bind(transport, new InetSocketAddress(extra, httpAddress().getPort()), "http", plain));
        alsoBound.add(bind(transport, new InetSocketAddress(extra, httpsAddress().getPort()), "https", secure));
      }
      admin =
          AdminServer.builder()
              .listen(config.admin())
              .metrics(registry)
              .health(() -> http != null && http.isActive() && https != null && https.isActive() ? null : "not listening")
              .build()
              .start();
    } catch (BindException | RuntimeException e) {
      close();
      throw e;
    }
    log.info(
        "web server on http://{} and https://{}{} ({}, {} threads), sites {} from {}, lab CA {}",
        ServerBinding.format(httpAddress()),
        ServerBinding.format(httpsAddress()),
        alsoBound.isEmpty() ? "" : ", also on " + config.alsoListen().stream().map(NetUtil::toAddressString).toList(),
        transport.tag(),
        config.threads(),
        String.join(" ", sites.hosts()),
        config.sites(),
        config.stateDir().resolve(LabCertificateAuthority.CA_FILE));
    return this;
  }

  private Channel bind(NettyTransport transport, InetSocketAddress address, String name, ChannelInitializer<SocketChannel> initializer)
      throws BindException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(connections.childHandler(initializer));
    return ServerBinding.bind(bootstrap, address, name);
  }

  public InetSocketAddress httpAddress() {
    return (InetSocketAddress) requireStarted(http).localAddress();
  }

  public InetSocketAddress httpsAddress() {
    return (InetSocketAddress) requireStarted(https).localAddress();
  }

  public InetSocketAddress adminAddress() {
    if (admin == null) {
      throw new IllegalStateException("not started");
    }
    return admin.address();
  }

  /** The lab CA whose certificate clients must trust for the HTTPS port. */
  public LabCertificateAuthority certificateAuthority() {
    if (ca == null) {
      throw new IllegalStateException("not started");
    }
    return ca.get();
  }

  /** The client connections open now. */
  synchronized Set<Channel> openConnections() {
    if (connections == null) {
      throw new IllegalStateException("not started");
    }
    return connections.open();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private static Channel requireStarted(Channel channel) {
    if (channel == null) {
      throw new IllegalStateException("not started");
    }
    return channel;
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
    for (Channel channel : new Channel[] {http, https}) {
      if (channel != null) {
        channel.close().syncUninterruptibly();
      }
    }
    alsoBound.forEach(channel -> channel.close().syncUninterruptibly());
    alsoBound.clear();
    http = null;
    https = null;
    if (connections != null) {
      // Each closes on its own loop, which tears its pipeline down, while the loops still run.
      connections.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      group = null;
      AccessLog.flush(ACCESS_LOG_FLUSH_TIMEOUT);
    }
  }
}
