package dev.dnslab.router;

import static dev.dnslab.core.admin.QueryParameters.first;
import static java.util.Objects.requireNonNull;

import dev.dnslab.core.admin.AdminResponse;
import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.cache.CacheClock;
import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.CacheRoutes;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.handler.EdnsHandler;
import dev.dnslab.core.handler.MetricsHandler;
import dev.dnslab.core.handler.OpcodeHandler;
import dev.dnslab.core.handler.QueryLogHandler;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.probe.DnsSelfCheck;
import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The home router's caching DNS forwarder ("라우터 캐시"): the lab's engine with a {@link
 * ForwardingHandler} and core's {@link RecordCache}, forwarding every miss to the ISP
 * recursor. The chain is {@code QueryLog -> Metrics -> Opcode -> EDNS -> Forwarding}. The admin
 * port has {@code /metrics}, {@code /health}, {@code /cache} (JSON, {@code ?format=text}) and
 * {@code /cache/flush} (POST, {@code ?name=} for one name), shaped like the recursor's, and
 * {@code /resolve?name=&type=} (a lookup through the router, for the lab console).
 *
 * <pre>{@code
 * try (RouterServer router = new RouterServer(RouterConfig.builder().upstream(recursorDns).build()).start()) {
 *   InetSocketAddress dns = router.dnsAddress();
 * }
 * }</pre>
 */
public final class RouterServer implements AutoCloseable {
  public static final String ROLE = LabRole.ROUTER.serviceName();

  private final RouterConfig config;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final CacheMetrics metrics = new CacheMetrics(registry, ROLE);
  private final RecordCache cache;
  /**
   * The router's event loops, for all it serves and asks: DNS, the admin port and the questions
   * forwarded to the recursor, so forwarding adds no thread (dnsjava's NIO client, which asked
   * before, kept a selector thread of its own).
   */
  private EventLoops loops;
  private DnsServer dns;
  private AdminServer admin;

  public RouterServer(RouterConfig config) {
    this.config = requireNonNull(config, "config");
    this.cache = new RecordCache(config.cacheMaxEntries(), config.ttlLimits(), CacheClock.MONOTONIC, metrics);
  }

  /** The router's chain, in request order; the fuzz test runs it without sockets. */
  static HandlerChain chain(DnsMetrics dnsMetrics, ForwardingHandler forwarding) {
    return HandlerChain.of(
        new QueryLogHandler(ROLE),
        new MetricsHandler(dnsMetrics),
        new OpcodeHandler(),
        new EdnsHandler(),
        forwarding);
  }

  /** Binds every port; on failure nothing stays bound and the exception says which address. */
  public synchronized RouterServer start() throws BindException {
    DnsMetrics dnsMetrics = new DnsMetrics(registry, ROLE);
    loops = EventLoops.start(NettyTransport.best(), config.threads());
    ForwardingHandler forwarding = new ForwardingHandler(cache, metrics, config.upstream(), config.upstreamTimeout(), loops);
    HandlerChain chain = chain(dnsMetrics, forwarding);
    try {
      dns = DnsServer.builder(ROLE).listen(config.listen()).alsoListen(config.alsoListen()).eventLoops(loops)
          .metrics(dnsMetrics).chain(chain).build().start();
      admin = new CacheRoutes(cache)
          .addTo(AdminServer.builder()
              .listen(config.admin())
              // The role's loops, not a loop of its own (close() closes the admin first).
              .eventLoops(loops)
              .metrics(registry)
              .healthAsked(DnsSelfCheck.forwarder(loops, dns::address)))
          .route("/resolve", (request, query) -> resolve(forwarding, first(query, "name"), first(query, "type")))
          .build()
          .start();
    } catch (BindException | RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  /**
   * {@code /resolve?name=&type=}: what a client on the LAN would get, for pages that cannot send
   * DNS packets (the lab console). Goes through the same cache and forwarding as a DNS query.
   */
  private static CompletionStage<AdminResponse> resolve(ForwardingHandler forwarding, String name, String typeText) {
    if (name == null) {
      return CompletableFuture.completedFuture(AdminResponse.text(400, "usage: /resolve?name=www.google.com&type=A\n"));
    }
    int type = typeText == null ? Type.A : Type.value(typeText.toUpperCase(Locale.ROOT));
    if (type < 0) {
      return CompletableFuture.completedFuture(AdminResponse.text(400, "type: " + typeText + " (expected: A, AAAA, ...)\n"));
    }
    try {
      Name parsed = Name.fromString(name, Name.root);
      long start = System.nanoTime();
      return forwarding.resolve(parsed, type).thenApply(result -> {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", parsed.toString());
        json.put("type", Type.string(type));
        json.put("source", result.fromCache() ? "cache" : "recursor");
        json.put("rcode", Rcode.string(result.response().getRcode()));
        json.put("answer", result.response().getSection(Section.ANSWER).stream().map(Record::toString).toList());
        json.put("authority", result.response().getSection(Section.AUTHORITY).stream().map(Record::toString).toList());
        json.put("durationMillis", Math.round((System.nanoTime() - start) / 1000.0) / 1000.0);
        return AdminResponse.json(json);
      }).exceptionally(failure -> AdminResponse.text(502, "recursor did not answer: " + failure.getMessage() + "\n"));
    } catch (TextParseException e) {
      return CompletableFuture.completedFuture(AdminResponse.text(400, "name: " + name + " (" + e.getMessage() + ")\n"));
    }
  }

  public RouterConfig config() {
    return config;
  }

  public InetSocketAddress dnsAddress() {
    return dns.address();
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  public RecordCache cache() {
    return cache;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
    if (dns != null) {
      dns.close();
      dns = null;
    }
    if (loops != null) {
      loops.close();
      loops = null;
    }
  }
}
