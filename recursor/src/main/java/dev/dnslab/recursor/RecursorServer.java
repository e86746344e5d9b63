package dev.dnslab.recursor;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.cache.CacheClock;
import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.handler.EdnsHandler;
import dev.dnslab.core.handler.MetricsHandler;
import dev.dnslab.core.handler.OpcodeHandler;
import dev.dnslab.core.handler.QueryLogHandler;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.probe.DnsSelfCheck;
import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.tls.BuiltOnFirstUse;
import dev.dnslab.core.tls.IssuedCertificate;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import dev.dnslab.core.wire.ResponseSizeLimit;
import dev.dnslab.recursor.admin.RecursorAdminRoutes;
import dev.dnslab.recursor.dnssec.TrustAnchors;
import dev.dnslab.recursor.doh.DohServer;
import dev.dnslab.recursor.handler.CacheHitShortcut;
import dev.dnslab.recursor.handler.ClientAclHandler;
import dev.dnslab.recursor.handler.LocallyServedZoneHandler;
import dev.dnslab.recursor.handler.RecursionHandler;
import dev.dnslab.recursor.handler.RenderedAnswers;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import dev.dnslab.recursor.iterator.Resolver;
import dev.dnslab.recursor.iterator.ServerRoleNamer;
import dev.dnslab.recursor.iterator.ServerSelector;
import dev.dnslab.recursor.limit.ClientOutstandingLimitHandler;
import dev.dnslab.recursor.limit.ClientRateLimitHandler;
import dev.dnslab.recursor.upstream.UpstreamClient;
import dev.dnslab.recursor.upstream.UpstreamCookies;
import dev.dnslab.recursor.upstream.UpstreamPolicy;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * The caching ISP recursor ("ISP DNS 서버"): plain DNS on UDP and TCP, optionally DNS over TLS and
 * DNS over HTTPS, and the admin port. The chain is {@code QueryLog -> Metrics -> ClientAcl ->
 * ClientRateLimit -> ClientOutstandingLimit -> Opcode -> EDNS -> LocallyServedZone -> Recursion}.
 *
 * <pre>{@code
 * try (RecursorServer recursor = new RecursorServer(RecursorConfig.builder().build()).start()) {
 *   InetSocketAddress dns = recursor.dnsAddress();
 * }
 * }</pre>
 */
public final class RecursorServer implements AutoCloseable {
  public static final String ROLE = LabRole.RECURSOR.serviceName();

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RecursorServer.class);

  private final RecursorConfig config;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RecursorMetrics metrics = new RecursorMetrics(registry);
  private final CacheMetrics cacheMetrics = new CacheMetrics(registry, ROLE);
  private final RecordCache cache;
  private final ServerSelector selector;
  private final UpstreamPolicy policy;
  /**
   * The role's --threads event loops, for everything it serves and asks: DNS over UDP, TCP and TLS,
   * DoH, the admin port and the upstream client (the resolutions started off any loop, the start's
   * priming and timers, go to them too). A resolution a client's query starts on one of them sends
   * its upstream queries from that loop and gets their replies there (see UpstreamClient); the
   * iterator's next step after a reply (classify it, write the cache, send the next query or
   * answer the client) runs on the loop that received the reply. Nothing on them blocks: a cache
   * hit, a validation, a TLS record, a scrape are all short, so one group serves the role as one
   * does a Netty server. A group each for DoH, admin and upstream (then 2 loops) kept 3 more
   * threads: idle as its image starts it, 71.95 against 70.6 MiB VmRSS (bench/recursor/idle.sh,
   * medians of 4 pairs, 2026-12-07), with the same CPU per cache hit over UDP, DoT and DoH.
   */
  private EventLoops loops;
  private UpstreamClient upstream;
  private Resolver resolver;
  private RenderedAnswers rendered;
  private DnsServer dns;
  private DohServer doh;
  private AdminServer admin;
  /** The lab CA behind the DoT and DoH certificate (null when both are off), read at first use. */
  private BuiltOnFirstUse<LabCertificateAuthority> ca;

  public RecursorServer(RecursorConfig config) {
    this(config, CacheClock.MONOTONIC);
  }

  /** A recursor whose cache counts TTLs down on {@code clock}: tests drive it to age the cache. */
  RecursorServer(RecursorConfig config, CacheClock clock) {
    this.config = requireNonNull(config, "config");
    // Serve-stale (RFC 8767) keeps expired data in the cache for its window; off, nothing is kept.
    long staleWindow = config.serveStale() == null ? 0 : config.serveStale().window().toSeconds();
    this.cache = new RecordCache(config.cacheMaxEntries(), config.cacheMaxBytes(), config.ttlLimits(), staleWindow,
        requireNonNull(clock, "clock"), cacheMetrics);
    this.policy = new UpstreamPolicy(config.allowedUpstreams(), metrics);
    this.selector = new ServerSelector(config.families());
  }

  /** Binds every port; on failure nothing stays bound and the exception says which address. */
  public synchronized RecursorServer start() throws BindException {
    loops = EventLoops.start(NettyTransport.best(), config.threads());
    upstream = new UpstreamClient(policy, loops, new UpstreamCookies(registry));
    Resolver.Builder resolverBuilder = Resolver.builder()
        .cache(cache)
        .client(upstream)
        .metrics(metrics)
        .selector(selector)
        .roles(new ServerRoleNamer(config.labNetworks()))
        .rootHints(config.rootHints())
        .limits(config.limits())
        .qnameMinimisation(config.qnameMinimisation())
        .minimisedQueryType(config.minimisedQueryType())
        .upstreamPort(config.upstreamPort());
    Supplier<TrustAnchors> anchors = trustAnchors(config.dnssec());
    if (anchors != null) {
      resolverBuilder.trustAnchors(anchors);
    }
    if (config.serveStale() != null) {
      resolverBuilder.serveStale(config.serveStale());
    }
    resolver = resolverBuilder.build();
    awaitPriming();
    DnsMetrics dnsMetrics = new DnsMetrics(registry, ROLE);
    Path path = path(dnsMetrics);
    HandlerChain chain = path.chain();
    try {
      DnsServer.Builder builder = DnsServer.builder(ROLE)
          .listen(config.listen())
          .alsoListen(config.alsoListen())
          .eventLoops(loops)
          .metrics(dnsMetrics)
          .chain(chain)
          .shortcut(path.shortcut())
          .tcpIdleTimeout(config.idleTimeouts().tcp())
          .tlsIdleTimeout(config.idleTimeouts().dot());
      // The lab CA (made at start if the state folder has none), the certificate, one for DoT and
      // DoH, and their TLS contexts at the first DoT or DoH connection (BuiltOnFirstUse: ~8 MiB,
      // the JDK's X.509 and BouncyCastle's certificate builder that an idle recursor need not hold).
      Supplier<IssuedCertificate> certificate = config.dot() != null || config.doh() != null ? certificate() : null;
      if (config.dot() != null) {
        // RFC 7858 3.2: DoT is plain DNS-over-TCP framing inside TLS; no ALPN needed.
        builder.tls(config.dot(), new BuiltOnFirstUse<>(new ServerContext(certificate, false)));
      }
      dns = builder.build().start();
      // Upstream queries go to plain DNS ports: the one this recursor answers on is never one of them.
      policy.listeningOn(List.of(dns.address()));
      if (config.doh() != null) {
        QueryProcessor processor = new QueryProcessor(chain, dnsMetrics, ResponseSizeLimit.DEFAULT_EDNS_UDP);
        doh = DohServer.builder()
            .listen(config.doh())
            .alsoListen(config.alsoListen())
            .tls(new BuiltOnFirstUse<>(new ServerContext(certificate, true)))
            .processor(processor)
            .idleTimeout(config.idleTimeouts().doh())
            .eventLoops(loops)
            .build()
            .start();
      }
      admin = new RecursorAdminRoutes(resolver)
          .addTo(AdminServer.builder().listen(config.admin()).eventLoops(loops).metrics(registry, jvm -> new JvmMemoryMetrics().bindTo(jvm)).healthAsked(DnsSelfCheck.resolver(loops, dns::address)))
          .build()
          .start();
    } catch (BindException | RuntimeException e) {
      close();
      throw e;
    }
    log.info("recursor ready: root hints {}, upstream port {}, qname minimisation {}, serve-stale {}, dnssec {}, "
        + "clients {}, upstreams {}", config.rootHints().nameServers(), config.upstreamPort(),
        config.qnameMinimisation() ? "on (" + config.minimisedQueryType() + ")" : "off", config.serveStale() != null ? "on" : "off", config.dnssec(),
        config.allowedClients(), config.allowedUpstreams());
    return this;
  }

  /**
   * Where the validator's trust anchors come from (RFC 4035 4.4), or null when validation is off.
   * An anchor file is read at once, so a bad one stops the start; the lab's keys are read when
   * first needed, since in compose the root server may make them after we start.
   */
  private static Supplier<TrustAnchors> trustAnchors(DnssecValidation dnssec) {
    if (dnssec instanceof DnssecValidation.Off) {
      return null;
    }
    if (dnssec instanceof DnssecValidation.AnchorFile file) {
      TrustAnchors anchors = TrustAnchors.read(file.file());
      return () -> anchors;
    }
    if (dnssec instanceof DnssecValidation.Anchors records) {
      TrustAnchors anchors = TrustAnchors.of(records.records());
      return () -> anchors;
    }
    KeyDirectory keys = KeyDirectory.inStateDir(((DnssecValidation.LabKeys) dnssec).stateDir());
    return () -> TrustAnchors.of(TrustAnchor.of(keys.load(Name.root)
        .orElseThrow(() -> new IllegalStateException("no root keys in " + keys.dir() + " yet"))));
  }

  /**
   * RFC 9609 3: prime the root NS set before answering anyone, so the first walk already starts
   * from the root's own list. Bounded by the priming attempts' timeouts; after that (a root that
   * is not up yet) the recursor starts on its hints and primes again later.
   */
  private void awaitPriming() {
    Duration bound = config.limits().upstreamTimeout().multipliedBy(ResolutionLimits.MAX_PRIMING_ATTEMPTS + 1L);
    try {
      resolver.prime().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      log.warn("priming did not finish within {} ms: starting on the root hints", bound.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The recursor's chain, in request order, and its cache-hit shortcut. */
  private Path path(DnsMetrics dnsMetrics) {
    rendered = new RenderedAnswers(resolver, cacheMetrics);
    rendered.countOn(registry);
    QueryLogHandler queryLog = new QueryLogHandler(ROLE);
    ClientAclHandler acl = new ClientAclHandler(config.allowedClients());
    ClientRateLimitHandler rateLimit = new ClientRateLimitHandler(config.clientLimits(), metrics.limits());
    ClientOutstandingLimitHandler outstanding = new ClientOutstandingLimitHandler(config.clientLimits(), metrics.limits());
    EdnsHandler edns = new EdnsHandler();
    HandlerChain chain = HandlerChain.of(
        queryLog,
        new MetricsHandler(dnsMetrics),
        acl,
        rateLimit,
        outstanding,
        new OpcodeHandler(),
        edns,
        new LocallyServedZoneHandler(),
        new RecursionHandler(resolver, cacheMetrics, rendered));
    return new Path(chain,
        new CacheHitShortcut(queryLog, dnsMetrics, acl, rateLimit, outstanding, edns, rendered, resolver::primeIfDue));
  }

  /**
   * The recursor's chain and the shortcut past it for cache hits it answered before, made of the
   * chain's own handlers: made together, so the shortcut stands in for exactly this chain.
   */
  private record Path(HandlerChain chain, CacheHitShortcut shortcut) {}


  /**
   * The DoT or DoH server's TLS context, built from the certificate when first asked for. A class,
   * not a lambda: a lambda's method returns SslContext, so linking it at start loaded that class,
   * and an archive trained on a start (docker/train-cds.sh) then held it and the ~50 TLS classes its
   * verification loads, in the pages of every start that maps the archive.
   */
  private static final class ServerContext implements Supplier<SslContext> {
    private final Supplier<IssuedCertificate> certificate;
    /** h2 and http/1.1 by ALPN (DoH, RFC 8484 5.2); none for DoT (RFC 7858 3.2). */
    private final boolean http;

    ServerContext(Supplier<IssuedCertificate> certificate, boolean http) {
      this.certificate = certificate;
      this.http = http;
    }

    @Override
    public SslContext get() {
      return certificate.get().serverContext(http ? IssuedCertificate.HTTP_ALPN : List.of());
    }
  }

  private Supplier<IssuedCertificate> certificate() {
    BuiltOnFirstUse<LabCertificateAuthority> authority = LabCertificateAuthority.loadOnFirstUse(
        config.stateDir() != null ? config.stateDir() : LabCertificateAuthority.defaultStateDir());
    ca = authority;
    Set<InetAddress> addresses = new LinkedHashSet<>();
    for (InetSocketAddress address : new InetSocketAddress[] {config.listen(), config.doh(), config.dot()}) {
      if (address != null && !address.getAddress().isAnyLocalAddress()) {
        addresses.add(address.getAddress());
      }
    }
    // DoT and DoH are served on the alsoListen addresses too: a client connecting by its IPv6
    // literal checks that the certificate names it (RFC 6125 6.2.1 iPAddress).
    addresses.addAll(config.alsoListen());
    addresses.add(InetAddress.getLoopbackAddress());
    return LabCertificateAuthority.issueOnFirstUse(
        authority, List.of("recursor", "dns.lab", "localhost"), List.copyOf(addresses));
  }

  public RecursorConfig config() {
    return config;
  }

  public InetSocketAddress dnsAddress() {
    return dns.address();
  }

  /** The DNS-over-TLS address, or null when off. */
  public InetSocketAddress dotAddress() {
    return dns.tlsAddress();
  }

  /** The DNS-over-HTTPS address, or null when off. */
  public InetSocketAddress dohAddress() {
    return doh == null ? null : doh.address();
  }

  /** Every DNS-over-HTTPS address ({@link #dohAddress()} first, then the alsoListen ones), empty when off. */
  public List<InetSocketAddress> dohAddresses() {
    return doh == null ? List.of() : doh.addresses();
  }

  /** Every DNS-over-TLS address ({@link #dotAddress()} first, then the alsoListen ones), empty when off. */
  public List<InetSocketAddress> dotAddresses() {
    return dns.tlsAddresses();
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  /**
   * The lab CA that signs the DoH/DoT certificate, or null when neither is on; read now if no DoT or
   * DoH connection has needed it yet.
   */
  public LabCertificateAuthority certificateAuthority() {
    return ca == null ? null : ca.get();
  }

  public RecordCache cache() {
    return cache;
  }

  public Resolver resolver() {
    return resolver;
  }

  /** The cache hits kept rendered to wire format, which plain queries get without the chain. */
  public RenderedAnswers renderedAnswers() {
    return rendered;
  }

  public ServerSelector servers() {
    return selector;
  }

  /** The recursor's own meters, and the reports of its per-client and per-referral limits. */
  public RecursorMetrics metrics() {
    return metrics;
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
    if (doh != null) {
      doh.close();
      doh = null;
    }
    if (dns != null) {
      dns.close();
      dns = null;
    }
    if (upstream != null) {
      upstream.close();
      upstream = null;
    }
    // Last: every server above has closed its channels on them.
    if (loops != null) {
      loops.close();
      loops = null;
    }
  }
}
