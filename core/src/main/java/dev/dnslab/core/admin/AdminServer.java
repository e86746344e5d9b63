package dev.dnslab.core.admin;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.transport.AcceptedConnections;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.core.transport.ServerBinding;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP port every lab server has (9153 by default, like CoreDNS): {@code /metrics} in
 * Prometheus text format, {@code /health}, and whatever routes the role adds ({@code /zones},
 * {@code /cache}, {@code /trace}, ...).
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** CoreDNS's metrics port, so Prometheus configs written for it work unchanged. */
  public static final int DEFAULT_PORT = 9153;

  /** Admin requests are small; anything bigger is a mistake or an attack. */
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private static final int READ_TIMEOUT_SECONDS = 30;

  /** How long close() waits for sockets and threads before giving up on them. */
  private static final long CLOSE_TIMEOUT_MILLIS = 3_000;

  private final InetSocketAddress listen;
  private final Map<String, AdminRoute> routes;
  private final EventLoops sharedLoops;
  /** The loops the channel is registered with; null until started and after close. */
  private EventLoops loops;
  private Channel channel;
  /** The connections open, closed by close() itself; null until started. */
  private AcceptedConnections connections;

  private AdminServer(Builder builder) {
    this.listen = builder.listen;
    this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(builder.routes));
    this.sharedLoops = builder.sharedLoops;
  }

  public static Builder builder() {
    return new Builder();
  }

  public synchronized AdminServer start() throws BindException {
    // A Prometheus scrape every few seconds: alone, the portable transport and one loop are plenty.
    loops = sharedLoops != null ? sharedLoops : EventLoops.start(NettyTransport.NIO, 1);
    NettyTransport transport = loops.transport();
    AdminHttpHandler handler = new AdminHttpHandler(routes);
    connections = new AcceptedConnections("admin");
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops.group())
            .channel(transport.serverChannel())
            .childHandler(
                connections.childHandler(
                    new ChannelInitializer<SocketChannel>() {
                      @Override
                      protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                            .addLast("timeout", new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                            .addLast("http", new HttpServerCodec())
                            .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                            .addLast("routes", handler);
                      }
                    }));
    try {
      channel = ServerBinding.bind(bootstrap, listen, "admin http");
    } catch (BindException e) {
      close();
      throw e;
    }
    log.info("admin http on http://{}:{}/ ({})", address().getAddress().getHostAddress(), address().getPort(), String.join(" ", routes.keySet()));
    return this;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
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
    // Bounded waits: close() runs in shutdown hooks, and a hook that waits forever on an event
    // loop that is already gone would keep the JVM from exiting on SIGTERM.
    if (channel != null) {
      channel.close().awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
      channel = null;
    }
    if (connections != null) {
      // After the listener (no new connection), before the loops stop: see AcceptedConnections.
      connections.close();
    }
    if (loops != null) {
      loops.close();
    }
    loops = null;
  }

  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", DEFAULT_PORT);
    private final Map<String, AdminRoute> routes = new LinkedHashMap<>();
    private EventLoops sharedLoops;

    private Builder() {}

    /**
     * The role's event loops, shared with its DNS server, instead of a loop of its own: every
     * route answers without blocking (a scrape, a cache flush, a question sent asynchronously; a
     * cache dump and an authority's zone reload go to a thread of their own), so it can run between
     * two DNS answers; {@link AdminServer#close} leaves them running.
     */
    public Builder eventLoops(EventLoops loops) {
      this.sharedLoops = requireNonNull(loops, "loops").borrowed();
      return this;
    }

    public Builder listen(InetSocketAddress listen) {
      this.listen = requireNonNull(listen, "listen");
      return this;
    }

    /** {@code /metrics}: the registry's Prometheus text exposition. */
    public Builder metrics(PrometheusMeterRegistry registry) {
      requireNonNull(registry, "registry");
      return metricsRoute(registry, () -> {});
    }

    /**
     * {@code /metrics} with {@code atFirstScrape} bound to the registry just before the first
     * scrape instead of at start: its meters read the moment they are scraped, so a scrape sees what
     * it would have seen, and a role nobody scrapes never builds them. For Micrometer's JVM memory
     * binder, whose platform MXBeans load ~100 classes (java.lang.management, the platform MBean
     * providers, java.util.logging's LogManager) and make ~30 gauges in a role that most labs never
     * scrape.
     */
    public Builder metrics(PrometheusMeterRegistry registry, MeterBinder atFirstScrape) {
      requireNonNull(registry, "registry");
      requireNonNull(atFirstScrape, "atFirstScrape");
      AtomicBoolean bound = new AtomicBoolean();
      return metricsRoute(registry, () -> {
        if (!bound.get()) {
          synchronized (bound) { // two first scrapes at once: one binds, the other waits for it
            if (!bound.get()) {
              atFirstScrape.bindTo(registry);
              bound.set(true);
            }
          }
        }
      });
    }

    private Builder metricsRoute(PrometheusMeterRegistry registry, Runnable beforeScrape) {
      return route(
          "/metrics",
          (request, query) -> {
            beforeScrape.run();
            return CompletableFuture.completedFuture(
                new AdminResponse(
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          });
    }

    /** {@code /health}: 200 "ok" while {@code check} returns null, else 503 with its reason. */
    public Builder health(Supplier<String> check) {
      requireNonNull(check, "check");
      return healthAsked(() -> CompletableFuture.completedFuture(check.get()));
    }

    /**
     * {@code /health} for a check that takes a round trip (e.g. core's DnsSelfCheck, a question to
     * the role's own socket): 200 "ok" when it completes with null, else 503 with its reason.
     */
    public Builder healthAsked(Supplier<? extends CompletionStage<String>> check) {
      requireNonNull(check, "check");
      return route(
          "/health",
          (request, query) ->
              check.get().thenApply(problem -> problem == null ? AdminResponse.ok("ok\n") : AdminResponse.text(503, problem + "\n")));
    }

    public Builder route(String path, AdminRoute route) {
      requireNonNull(path, "path");
      requireNonNull(route, "route");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path: " + path + " (expected: to start with /)");
      }
      routes.put(path, route);
      return this;
    }

    public AdminServer build() {
      return new AdminServer(this);
    }
  }
}
