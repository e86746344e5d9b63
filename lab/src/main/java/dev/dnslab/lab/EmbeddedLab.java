package dev.dnslab.lab;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.zone.ZoneLoadException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole lab in one JVM: root, TLD and authoritative name servers (and, as they arrive, the
 * recursor and web server), each on its own address of the {@link AddressPlan}, all on one DNS
 * port. With DNS port 0, the first server picks a free port and the others follow it, because a
 * referral carries addresses, never ports: every server of one lab must share the port.
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
    for (int attempt = 0; attempt < attempts; attempt++) {
      try {
        startAuthorities();
        log.info("lab up: root {} tld {} authoritative {}",
            address(LabRole.ROOT), address(LabRole.TLD), address(LabRole.AUTHORITATIVE));
        return this;
      } catch (BindException e) {
        close();
        last = e;
      }
    }
    throw last;
  }

  private void startAuthorities() throws ZoneLoadException, BindException {
    plan = config.plan;
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
      plan = new AddressPlan(plan.network(), server.dnsAddress().getPort(), server.adminAddress().getPort());
    }
  }

  private AuthorityConfig authorityConfig(LabRole role) {
    return new AuthorityConfig(
        role.serviceName(),
        plan.dnsAddress(role),
        plan.adminAddress(role),
        List.of(config.zones.resolve(role.zoneDirectory())),
        plan.zoneRewrite(),
        Cidr.LOOPBACK,
        config.threads,
        config.interceptors.apply(role));
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

  @Override
  public void close() {
    authorities.values().forEach(AuthorityServer::close);
    authorities.clear();
  }

  public static final class Builder {
    private AddressPlan plan = AddressPlan.EMBEDDED;
    private Path zones;
    private int threads = 1;
    private Function<LabRole, List<DnsHandler>> interceptors = role -> List.of();

    private Builder() {}

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

    public EmbeddedLab build() {
      if (zones == null) {
        zones = BundledZones.locate();
      }
      return new EmbeddedLab(this);
    }
  }
}
