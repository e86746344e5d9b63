package dev.dnslab.lab;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.authority.DnssecSigning;
import dev.dnslab.core.dnssec.DnssecPolicyException;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.TrustAnchorFiles;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.ratelimit.ResponseRateLimit;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.core.transport.ServerBinding;
import dev.dnslab.core.zone.RootHints;
import dev.dnslab.core.zone.ZoneLoadException;
import dev.dnslab.recursor.DnssecValidation;
import dev.dnslab.recursor.RecursorConfig;
import dev.dnslab.recursor.RecursorServer;
import dev.dnslab.recursor.iterator.AddressFamilies;
import dev.dnslab.router.RouterConfig;
import dev.dnslab.router.RouterServer;
import dev.dnslab.web.BundledSites;
import dev.dnslab.web.WebServer;
import dev.dnslab.web.WebServerConfig;
import java.io.IOException;
import io.netty.util.NetUtil;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The whole lab in one JVM: root, TLD and authoritative name servers, and on request the recursor,
 * the web server and the router cache, each on its own address of the {@link AddressPlan}, all on one DNS
 * port. With DNS port 0, the first server picks a free port and the others follow it, because a
 * referral carries addresses, never ports: every server of one lab must share the port.
 *
 * <p>Every server (name servers, recursor with its DoT and DoH, web server and router) also
 * serves its IPv6 address ({@link AddressPlan#address6}) where those can be bound: in a network
 * namespace or on a host where they were assigned. Elsewhere the lab stays IPv4, its recursor asks
 * over IPv4 only, and one log line at start says so.
 *
 * <pre>{@code
 * try (EmbeddedLab lab = EmbeddedLab.builder().plan(AddressPlan.EMBEDDED.withDnsPort(0)).build().start()) {
 *   InetSocketAddress root = lab.address(LabRole.ROOT);
 * }
 * }</pre>
 */
public final class EmbeddedLab implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedLab.class);

  public static final List<LabRole> AUTHORITIES = List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE);

  /** Attempts to find ports free on every lab address when port 0 was asked for. */
  private static final int PORT_ATTEMPTS = 10;

  private final Builder config;
  private final Map<LabRole, AuthorityServer> authorities = new EnumMap<>(LabRole.class);
  private AddressPlan plan;
  private boolean ipv6;
  private ZoneSigner signer;
  private RecursorServer recursor;
  private WebServer webServer;
  private RouterServer router;

  private EmbeddedLab(Builder config) {
    this.config = config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts every server; on failure, whatever started is stopped again. */
  public EmbeddedLab start() throws ZoneLoadException, BindException {
    BindException last = null;
    AddressPlan requested = config.plan;
    int attempts = requested.dnsPort() == 0 || requested.adminPort() == 0 ? PORT_ATTEMPTS : 1;
    ipv6 = ipv6Bindable(requested);
    for (int attempt = 0; attempt < attempts; attempt++) {
      try {
        startAuthorities();
        startServices();
        log.info("lab up: root {} tld {} authoritative {}",
            address(LabRole.ROOT), address(LabRole.TLD), address(LabRole.AUTHORITATIVE));
        return this;
      } catch (ZoneLoadException e) {
        close();
        throw e;
      } catch (BindException | RuntimeException e) {
        close();
        if (e instanceof RuntimeException runtime) {
          throw runtime;
        }
        last = (BindException) e;
      }
    }
    throw last;
  }

  /**
   * Whether every server of this lab can bind its IPv6 address here: decided by binding, and said
   * in one log line either way.
   */
  private boolean ipv6Bindable(AddressPlan requested) {
    List<LabRole> roles = new ArrayList<>(AUTHORITIES);
    if (config.recursor) {
      roles.add(LabRole.RECURSOR);
    }
    if (config.webServer) {
      roles.add(LabRole.WEB);
    }
    if (config.router) {
      roles.add(LabRole.ROUTER);
    }
    for (LabRole role : roles) {
      InetAddress address = requested.address6(role);
      if (!ServerBinding.canBind(address)) {
        String text = NetUtil.toAddressString(address);
        log.info("IPv6: {} ({}) cannot be bound here, so the lab serves IPv4 only; to serve IPv6 too, "
                + "assign the lab's IPv6 addresses (e.g. in a network namespace: ip addr add {}/128 dev lo nodad)",
            text, role, text);
        return false;
      }
    }
    log.info("IPv6: {} also serve {}/{}", roles.stream().map(LabRole::serviceName).toList(),
        NetUtil.toAddressString(requested.network6().network()), requested.network6().prefixLength());
    return true;
  }

  /** Whether the servers serve their IPv6 addresses as well (the recursor's DoT and DoH too). */
  public boolean ipv6() {
    return ipv6;
  }

  /** The recursor, web server and router, in the order the story needs them. */
  private void startServices() throws BindException {
    if (config.recursor) {
      recursor = new RecursorServer(recursorConfig()).start();
    }
    if (config.webServer) {
      webServer = new WebServer(webServerConfig()).start();
    }
    if (config.router) {
      if (recursor == null) {
        throw new IllegalStateException("the router forwards to the recursor: enable withRecursor()");
      }
      router =
          new RouterServer(
                  RouterConfig.builder()
                      .listen(plan.dnsAddress(LabRole.ROUTER))
                      .admin(plan.adminAddress(LabRole.ROUTER))
                      .alsoListen(alsoListen(LabRole.ROUTER))
                      .upstream(recursor.dnsAddress())
                      .threads(config.threads)
                      .build())
              .start();
    }
  }

  private RecursorConfig recursorConfig() {
    InetAddress address = plan.address(LabRole.RECURSOR);
    // Without IPv6 here the recursor never asks an AAAA glue address: it would leave by the
    // host's default route, if any, instead of reaching the lab.
    AddressFamilies families = ipv6 ? config.families : AddressFamilies.IPV4_ONLY;
    if (!ipv6 && !config.families.ipv4()) {
      throw new IllegalStateException("the recursor may use IPv6 only (--no-ipv4), but the lab's IPv6 addresses "
          + "cannot be bound here");
    }
    return RecursorConfig.builder()
        .listen(plan.dnsAddress(LabRole.RECURSOR))
        .alsoListen(alsoListen(LabRole.RECURSOR))
        .families(families)
        .admin(plan.adminAddress(LabRole.RECURSOR))
        .doh(new InetSocketAddress(address, config.dohPort))
        .dot(new InetSocketAddress(address, config.dotPort))
        // Priming from the IPv4 hint brings the root's AAAA glue; an IPv6-only recursor needs its own.
        .rootHints(families.ipv4() ? RootHints.lab(plan) : RootHints.labDualStack(plan))
        .upstreamPort(plan.dnsPort())
        .stateDir(config.stateDir)
        .threads(config.threads)
        .dnssec(recursorDnssec())
        .build();
  }

  /**
   * The recursor validates (RFC 4035 5) from the anchor it was given, else from the lab root's own
   * when the lab is signed; an unsigned lab has nothing to validate.
   */
  private DnssecValidation recursorDnssec() {
    if (config.recursorTrustAnchor != null) {
      return DnssecValidation.anchorFile(config.recursorTrustAnchor);
    }
    return signer == null ? DnssecValidation.off() : DnssecValidation.anchors(trustAnchor().ds());
  }

  private WebServerConfig webServerConfig() {
    return WebServerConfig.onPorts(
            plan.address(LabRole.WEB), config.httpPort, config.httpsPort, plan.adminPort(),
            config.sites, config.stateDir)
        .withThreads(config.threads)
        .withAlsoListen(alsoListen(LabRole.WEB));
  }

  /** The role's IPv6 address when the lab serves IPv6, else none: served beside its IPv4 address. */
  private List<InetAddress> alsoListen(LabRole role) {
    return ipv6 ? List.of(plan.address6(role)) : List.of();
  }

  private void startAuthorities() throws ZoneLoadException, BindException {
    plan = config.plan;
    if (config.dnssec && signer == null) {
      try {
        signer = ZoneSigner.forLab(config.stateDir, config.zones);
      } catch (DnssecPolicyException e) {
        throw new ZoneLoadException(e.file(), e.line(), e.reason(), e);
      }
      publishTrustAnchor();
    }
    for (LabRole role : AUTHORITIES) {
      AuthorityServer server = new AuthorityServer(authorityConfig(role));
      try {
        server.start();
      } catch (ZoneLoadException | BindException | RuntimeException e) {
        server.close();
        throw e;
      }
      authorities.put(role, server);
      // Later servers share the first one's ports.
      plan = plan.withPorts(server.dnsAddress().getPort(), server.adminAddress().getPort());
    }
  }

  /**
   * Writes the root's anchor into the state dir ({@link TrustAnchorFiles}) before any server
   * answers, so a resolver started once the lab is up (a sidecar in the same pod, say) finds it.
   */
  private void publishTrustAnchor() throws ZoneLoadException {
    try {
      TrustAnchorFiles.publish(signer.rootTrustAnchor(), config.stateDir);
    } catch (IOException e) {
      throw new ZoneLoadException(config.stateDir.resolve(TrustAnchorFiles.DS_FILE), 0,
          "cannot write the lab's trust anchor: " + e.getMessage(), e);
    }
  }

  private AuthorityConfig authorityConfig(LabRole role) {
    return AuthorityConfig.builder(role.serviceName())
        .listen(plan.dnsAddress(role))
        .alsoListen(alsoListen(role))
        .admin(plan.adminAddress(role))
        .zoneSources(List.of(config.zones.resolve(role.zoneDirectory())))
        .zoneRewrite(plan.zoneRewrite())
        .transferClients(Cidr.LOOPBACK)
        .threads(config.threads)
        .interceptors(config.interceptors.apply(role))
        .rateLimit(config.rateLimits.apply(role).orElse(null))
        .rateLimitClock(config.rateLimitClock)
        .dnssec(signer == null ? null : DnssecSigning.of(signer))
        .build();
  }

  /** Whether the lab's zones are signed (the default; off with {@link Builder#withoutDnssec()}). */
  public boolean signed() {
    return signer != null;
  }

  /**
   * The lab root's trust anchor (RFC 4035 4.4): what a validating resolver must trust to validate
   * the lab, instead of the real root's key. It lives in the state dir and changes only when new
   * keys are made.
   *
   * @throws IllegalStateException when the lab runs unsigned or has not started
   */
  public TrustAnchor trustAnchor() {
    if (signer == null) {
      throw new IllegalStateException("the lab is unsigned: no trust anchor");
    }
    return TrustAnchor.of(signer.keyDirectory().load(Name.root)
        .orElseThrow(() -> new IllegalStateException("no root keys in " + signer.keyDirectory().dir())));
  }

  /** The folder of the lab's state: DNSSEC keys (keys/) and the lab CA. */
  public Path stateDir() {
    return config.stateDir;
  }

  /** The plan actually in use, with the real ports when 0 was asked for. */
  public AddressPlan plan() {
    return plan;
  }

  /** The folder whose root/, tld/ and authoritative/ zone files the lab serves. */
  public Path zones() {
    return config.zones;
  }

  public InetSocketAddress address(LabRole role) {
    return authority(role).dnsAddress();
  }

  public AuthorityServer authority(LabRole role) {
    AuthorityServer server = authorities.get(role);
    if (server == null) {
      throw new IllegalStateException(role + " is not running");
    }
    return server;
  }

  public List<AuthorityServer> authorities() {
    return new ArrayList<>(authorities.values());
  }

  /** The recursor ("ISP DNS 서버"), or null when the lab was built without it. */
  public RecursorServer recursor() {
    return recursor;
  }

  /** The web server of the lab's sites, or null when the lab was built without it. */
  public WebServer webServer() {
    return webServer;
  }

  /** The router cache ("라우터 캐시"), or null when the lab was built without it. */
  public RouterServer router() {
    return router;
  }

  @Override
  public void close() {
    if (router != null) {
      router.close();
      router = null;
    }
    if (webServer != null) {
      webServer.close();
      webServer = null;
    }
    if (recursor != null) {
      recursor.close();
      recursor = null;
    }
    authorities.values().forEach(AuthorityServer::close);
    authorities.clear();
  }

  public static final class Builder {
    private AddressPlan plan = AddressPlan.EMBEDDED;
    private Path zones;
    private int threads = 1;
    private Function<LabRole, List<DnsHandler>> interceptors = role -> List.of();
    private Function<LabRole, Optional<ResponseRateLimit>> rateLimits = role -> Optional.empty();
    private LongSupplier rateLimitClock = System::nanoTime;
    private boolean recursor;
    private boolean webServer;
    private boolean router;
    private int dohPort = RecursorConfig.DEFAULT_DOH_PORT;
    private int dotPort = RecursorConfig.DEFAULT_DOT_PORT;
    private int httpPort = WebServerConfig.DEFAULT_HTTP_PORT;
    private int httpsPort = WebServerConfig.DEFAULT_HTTPS_PORT;
    private Path sites;
    private Path stateDir;
    private boolean dnssec = true;
    private AddressFamilies families = AddressFamilies.BOTH;
    private Path recursorTrustAnchor;

    private Builder() {}

    /**
     * The address families the recursor asks name servers over (both by default; IPv6 is used only
     * where the lab's IPv6 addresses can be bound): {@code dnslab up --no-ipv6} or {@code --no-ipv4}.
     *
     * @throws IllegalArgumentException when both are off
     */
    public Builder recursorFamilies(boolean ipv4, boolean ipv6) {
      this.families = new AddressFamilies(ipv4, ipv6);
      return this;
    }

    /**
     * The recursor validates from the trust anchor in this file (any format {@code dnslab
     * trust-anchor} writes) instead of the lab root's own.
     */
    public Builder recursorTrustAnchor(Path file) {
      this.recursorTrustAnchor = java.util.Objects.requireNonNull(file, "file");
      return this;
    }

    /** Serve the zones unsigned (no DNSKEY, RRSIG, DS or NSEC); by default the lab signs them. */
    public Builder withoutDnssec() {
      this.dnssec = false;
      return this;
    }

    /** Also run the recursor on .53 (DNS on the lab's port, DoH and DoT on their own). */
    public Builder withRecursor() {
      this.recursor = true;
      return this;
    }

    /** Also run the web server on .80. */
    public Builder withWebServer() {
      this.webServer = true;
      return this;
    }

    /** Also run the router cache on .254, forwarding to the recursor. */
    public Builder withRouter() {
      this.router = true;
      return this;
    }

    /** Everything: authorities, recursor, web server and router. */
    public Builder everything() {
      return withRecursor().withWebServer().withRouter();
    }

    /** The recursor's DNS-over-HTTPS and DNS-over-TLS ports (443 and 853; 0 picks free ones). */
    public Builder encryptedDnsPorts(int doh, int dot) {
      this.dohPort = checkPort("doh", doh);
      this.dotPort = checkPort("dot", dot);
      return this;
    }

    /** The web server's HTTP and HTTPS ports (80 and 443; 0 picks free ones). */
    public Builder webPorts(int http, int https) {
      this.httpPort = checkPort("http", http);
      this.httpsPort = checkPort("https", https);
      return this;
    }

    /** The sites folder (default: ./sites when present, else the copy bundled in the jar). */
    public Builder sites(Path sites) {
      this.sites = requireNonNull(sites, "sites");
      return this;
    }

    /** Where the lab CA and DNSSEC keys live (default: $DNSLAB_STATE_DIR or ~/.dnslab). */
    public Builder stateDir(Path stateDir) {
      this.stateDir = requireNonNull(stateDir, "stateDir");
      return this;
    }

    private static int checkPort(String name, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(name + ": " + port + " (expected: 0..65535)");
      }
      return port;
    }

    public Builder plan(AddressPlan plan) {
      this.plan = requireNonNull(plan, "plan");
      return this;
    }

    /** The zones folder (default: ./zones when present, else the copy bundled in the jar). */
    public Builder zones(Path zones) {
      this.zones = requireNonNull(zones, "zones");
      return this;
    }

    /** DNS event-loop threads per server (default 1: a lab on a laptop runs five servers). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
      }
      this.threads = threads;
      return this;
    }

    /**
     * Handlers each authority runs before its zone lookup: the hook for fault injection and query
     * recording. The function is asked once per role.
     */
    public Builder interceptors(Function<LabRole, List<DnsHandler>> interceptors) {
      this.interceptors = requireNonNull(interceptors, "interceptors");
      return this;
    }

    /**
     * Response rate limiting per authority (NSD's and Knot's RRL), e.g. a scenario's {@code
     * rate-limit:} or {@code dnslab up --rrl}; none by default, a teaching lab answers everyone.
     */
    public Builder rateLimits(Function<LabRole, Optional<ResponseRateLimit>> rateLimits) {
      this.rateLimits = requireNonNull(rateLimits, "rateLimits");
      return this;
    }

    /**
     * The monotonic nanosecond clock the authorities' rate-limit buckets refill by; {@link
     * System#nanoTime()} by default. A test holds it still, so no token comes back while it is slow.
     */
    public Builder rateLimitClock(LongSupplier rateLimitClock) {
      this.rateLimitClock = requireNonNull(rateLimitClock, "rateLimitClock");
      return this;
    }

    public EmbeddedLab build() {
      if (zones == null) {
        zones = BundledZones.locate();
      }
      if (webServer && sites == null) {
        sites = BundledSites.locate();
      }
      if ((webServer || recursor || dnssec) && stateDir == null) {
        stateDir = LabCertificateAuthority.defaultStateDir();
      }
      return new EmbeddedLab(this);
    }
  }
}
