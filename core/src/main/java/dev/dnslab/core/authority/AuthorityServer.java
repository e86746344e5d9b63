package dev.dnslab.core.authority;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.admin.AdminResponse;
import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.cookie.ServerCookieHandler;
import dev.dnslab.core.cookie.ServerCookies;
import dev.dnslab.core.dnssec.SignedZone;
import dev.dnslab.core.dnssec.SigningMetrics;
import dev.dnslab.core.dnssec.ZoneKey;
import dev.dnslab.core.dnssec.ZoneKeys;
import dev.dnslab.core.fault.FaultHandler;
import dev.dnslab.core.handler.EdnsHandler;
import dev.dnslab.core.handler.MetricsHandler;
import dev.dnslab.core.handler.OpcodeHandler;
import dev.dnslab.core.handler.QueryLogHandler;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.probe.DnsSelfCheck;
import dev.dnslab.core.ratelimit.ResponseRateLimitHandler;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneFileLoader;
import dev.dnslab.core.zone.ZoneLoadException;
import dev.dnslab.core.zone.ZoneRepository;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A root, TLD or authoritative name server: the engine's chain {@code QueryLog -> Metrics -> Opcode
 * -> EDNS -> [RRL] -> Cookies -> [interceptors] -> ZoneTransfer -> Authority} over the role's zones, plus the admin port with {@code
 * /metrics}, {@code /health}, {@code /zones} and {@code POST /reload}. Without RRL and interceptors
 * a plain query already answered once is answered again from its rendered bytes ({@link
 * TemplateShortcut}).
 */
public final class AuthorityServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuthorityServer.class);

  private final AuthorityConfig config;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ZoneRepository zones;
  private final AuthorityZones served;
  /** Where POST /reload runs: off the DNS loops the admin server shares. */
  private final Executor reloads;
  private DnsServer dns;
  private ScheduledExecutorService renewal;
  private AdminServer admin;

  public AuthorityServer(AuthorityConfig config) {
    // supplyAsync's own default: the common pool, or a thread per reload where that pool has one
    // worker (two cores).
    this(config, new CompletableFuture<Void>().defaultExecutor());
  }

  /** A server whose POST /reload reads and signs the zones on {@code reloads}: tests hold it there. */
  AuthorityServer(AuthorityConfig config, Executor reloads) {
    this.reloads = requireNonNull(reloads, "reloads");
    this.config = requireNonNull(config, "config");
    this.zones = new ZoneRepository(config.zoneSources(), new ZoneFileLoader(config.zoneRewrite()));
    DnssecSigning signing = config.dnssec();
    this.served = new AuthorityZones(zones, signing,
        signing == null ? null : new SigningMetrics(registry, config.role(), signing.clock()));
  }

  /** The handler chain of every authority role, in request order, over zones served unsigned. */
  public static HandlerChain chain(DnsMetrics metrics, ZoneRepository zones, AuthorityConfig config) {
    return chain(metrics, AuthorityZones.unsigned(zones), config);
  }

  /** The handler chain of every authority role, in request order. */
  public static HandlerChain chain(DnsMetrics metrics, AuthorityZones zones, AuthorityConfig config) {
    return path(metrics, zones, config).chain();
  }

  /**
   * The handler chain of every authority role, in request order, with the {@link TemplateShortcut}
   * past it when it is the plain chain: without rate limiting or interceptors, every handler between
   * the query log and the authority passes a plain query on unchanged, which is what the shortcut
   * stands in for.
   */
  public static AuthorityPath path(DnsMetrics metrics, AuthorityZones zones, AuthorityConfig config) {
    return path(metrics, zones, config, ServerCookies.withRandomSecret());
  }

  /** {@link #path(DnsMetrics, AuthorityZones, AuthorityConfig)} making server cookies with {@code serverCookies}. */
  static AuthorityPath path(
      DnsMetrics metrics, AuthorityZones zones, AuthorityConfig config, ServerCookies serverCookies) {
    List<DnsHandler> handlers = new ArrayList<>();
    QueryLogHandler queryLog = new QueryLogHandler(config.role());
    handlers.add(queryLog);
    handlers.add(new MetricsHandler(metrics));
    handlers.add(new OpcodeHandler());
    EdnsHandler edns = new EdnsHandler();
    handlers.add(edns);
    ServerCookieHandler cookies = new ServerCookieHandler(serverCookies, metrics);
    if (config.rateLimit() != null) {
      // Before the cookies, so BADCOOKIE answers to forged cookies are limited like any other.
      handlers.add(new ResponseRateLimitHandler(config.rateLimit(), cookies::isVerified, metrics, config.rateLimitClock()));
    }
    handlers.add(cookies);
    handlers.addAll(config.interceptors());
    handlers.add(new ZoneTransferHandler(zones.files(), config.transferClients()));
    AuthorityHandler authority = new AuthorityHandler(zones);
    handlers.add(authority);
    boolean plain = config.rateLimit() == null && config.interceptors().isEmpty();
    return new AuthorityPath(
        new HandlerChain(handlers), plain ? new TemplateShortcut(queryLog, metrics, edns, cookies, authority) : null);
  }

  /** Loads the zones (refusing to start on a bad one) and binds DNS and admin ports. */
  public AuthorityServer start() throws ZoneLoadException, BindException {
    served.reload();
    // After the zones are signed (a fault's key sits beside a zone's keys), before any query: a
    // fault's slow preparation (a key pair) happens here rather than on the loop that answers.
    for (DnsHandler interceptor : config.interceptors()) {
      if (interceptor instanceof FaultHandler fault) {
        fault.arm();
      }
    }
    DnsMetrics metrics = new DnsMetrics(registry, config.role());
    AuthorityPath path = path(metrics, served, config);
    dns =
        DnsServer.builder(config.role())
            .listen(config.listen())
            .alsoListen(config.alsoListen())
            .threads(config.threads())
            .metrics(metrics)
            .chain(path.chain())
            // Only for the plain chain: with rate limiting or interceptors every query runs it.
            .shortcut(path.shortcut())
            .build()
            .start();
    try {
      admin =
          AdminServer.builder()
              .listen(config.admin())
              // Its DNS server's loops, not a loop of its own (close() closes the admin first).
              .eventLoops(dns.eventLoops())
              .metrics(registry, jvm -> new JvmMemoryMetrics().bindTo(jvm))
              .healthAsked(DnsSelfCheck.authority(dns.eventLoops(), dns::address, this::firstApex))
              .route("/zones", (request, query) -> CompletableFuture.completedFuture(AdminResponse.json(zoneSummary())))
              .route(
                  "/reload",
                  (request, query) -> {
                    if (!HttpMethod.POST.equals(request.method())) {
                      return CompletableFuture.completedFuture(AdminResponse.text(405, "use POST /reload\n"));
                    }
                    // Off the DNS loops this admin server shares: a reload reads (and signs) every
                    // zone, and answers keep coming from the zones served meanwhile.
                    // AuthorityZones.reload is synchronized: one reload at a time.
                    return CompletableFuture.supplyAsync(this::reloadForAdmin, reloads);
                  })
              .build()
              .start();
    } catch (BindException e) {
      dns.close();
      throw e;
    }
    if (config.dnssec() != null) {
      startRenewal(config.dnssec());
    }
    return this;
  }

  /**
   * The background task that keeps a lab running for days valid: it re-signs each zone whose
   * renewal time has come, long before its signatures expire (RFC 4034 3.1.5, RFC 6781 4.4.2).
   */
  private void startRenewal(DnssecSigning signing) {
    renewal = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, config.role() + "-dnssec-renewal");
      thread.setDaemon(true);
      return thread;
    });
    long period = signing.renewalCheck().toMillis();
    renewal.scheduleWithFixedDelay(this::renewDueSignatures, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Re-signs the zones due for renewal now; the background task calls it, and so may a test that
   * moved its clock. Never throws: a zone that cannot be signed is logged and tried again later.
   */
  public List<SignedZone> renewDueSignatures() {
    try {
      return served.renewDue();
    } catch (RuntimeException e) {
      log.error("DNSSEC renewal failed, retrying at the next check: {}", e.toString());
      return List.of();
    }
  }

  /**
   * Re-reads every zone file. On error the server keeps serving the zones it had and the exception
   * says which file and line are wrong.
   */
  public void reload() throws ZoneLoadException {
    try {
      served.reload();
    } catch (ZoneLoadException e) {
      log.error("reload failed, still serving the previous zones: {}", e.getMessage());
      throw e;
    }
  }

  /** {@link #reload()} for signal handlers: returns whether it worked; a failure is only logged. */
  public boolean reloadOrKeepServing() {
    try {
      reload();
      return true;
    } catch (ZoneLoadException e) {
      return false;
    }
  }

  private AdminResponse reloadForAdmin() {
    try {
      reload();
      return AdminResponse.json(zoneSummary());
    } catch (ZoneLoadException e) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("error", e.getMessage());
      error.put("serving", zoneSummary());
      return AdminResponse.json(422, error);
    }
  }

  /** The apex of the first zone served, the name /health asks this server about (none before loading). */
  private Optional<Name> firstApex() {
    return zones.zones().zones().stream().map(Zone::origin).findFirst();
  }

  /** The loaded zones with their serials and DNSSEC state, as {@code /zones} shows them. */
  public List<Map<String, Object>> zoneSummary() {
    List<Map<String, Object>> summary = new ArrayList<>();
    ServedZones current = served.current();
    for (Zone zone : current.zones().zones()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("zone", zone.origin().toString());
      entry.put("serial", zone.serial());
      entry.put("records", zone.size());
      entry.put("file", String.valueOf(zone.source()));
      SignedZone signed = current.signedFormOf(zone);
      entry.put("dnssec", signed == null ? Map.of("signed", false) : dnssecSummary(signed));
      summary.add(entry);
    }
    return summary;
  }

  /** What a zone's signer did: keys and tags, the DS for the parent, denial, signature window. */
  private static Map<String, Object> dnssecSummary(SignedZone zone) {
    Map<String, Object> dnssec = new LinkedHashMap<>();
    dnssec.put("signed", true);
    dnssec.put("algorithm", zone.keys().algorithm().toString());
    List<Map<String, Object>> keys = new ArrayList<>();
    // RFC 7583 states: "active" signs; during a rollover "published" is in the DNSKEY RRset only
    // (a pre-published or retired ZSK) and "ds-only" has only its DS in the parent (double-DS KSK).
    Map<String, List<ZoneKey>> byState = new LinkedHashMap<>();
    byState.put("active", zone.keys().keys());
    byState.put("published", zone.keys().standby());
    byState.put("ds-only", zone.keys().dsOnly());
    byState.forEach((state, inState) -> {
      for (ZoneKey key : inState) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("role", key.role().toString());
        entry.put("tag", key.tag());
        entry.put("flags", key.dnskey().getFlags());
        entry.put("state", state);
        keys.add(entry);
      }
    });
    dnssec.put("keys", keys);
    dnssec.put("ds", zone.keys().ds(ZoneKeys.DNSKEY_TTL).stream().map(Record::rdataToString).toList());
    dnssec.put("denial", zone.policy().denial().label());
    dnssec.put("signatures", zone.signatureCount());
    dnssec.put("inception", zone.inception().toString());
    dnssec.put("expiration", zone.expiration().toString());
    dnssec.put("renewal", zone.renewal().toString());
    return dnssec;
  }

  public ZoneRepository zones() {
    return zones;
  }

  /** The zones as answered, with their signed forms. */
  public AuthorityZones servedZones() {
    return served;
  }

  public InetSocketAddress dnsAddress() {
    return dns.address();
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public AuthorityConfig config() {
    return config;
  }

  @Override
  public void close() {
    if (renewal != null) {
      // Not shutdownNow: an interrupt would break a check in flight inside the key folder's file
      // lock; the periodic check is cancelled, the one in flight ends before the caller goes on
      // (and may remove that folder).
      renewal.shutdown();
      try {
        renewal.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (admin != null) {
      admin.close();
    }
    if (dns != null) {
      dns.close();
    }
  }
}
