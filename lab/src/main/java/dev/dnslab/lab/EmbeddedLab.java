package dev.dnslab.lab;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.authority.AuthorityConfig;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.zone.ZoneLoadException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole lab in one JVM: root, TLD and authoritative name servers (and, as they arrive, the
 * recursor and web server), each on its own address of the {@link AddressPlan}, all on one DNS
 * port. With DNS port 0, the first server picks a free port and the others follow it, because a
 * referral carries addresses, never ports: every server of one lab must share the port.
 */
public final class EmbeddedLab implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedLab.class);

  private static final List<LabRole> AUTHORITIES = List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE);
  private static final int PORT_ATTEMPTS = 10;

  private final AddressPlan requestedPlan;
  private final Path zonesRoot;
  private final Map<LabRole, AuthorityServer> authorities = new EnumMap<>(LabRole.class);
  private AddressPlan plan;

  public EmbeddedLab(AddressPlan plan, Path zonesRoot) {
    this.requestedPlan = requireNonNull(plan, "plan");
    this.zonesRoot = requireNonNull(zonesRoot, "zonesRoot");
  }

  /** Starts every server; on failure, whatever started is stopped again. */
  public EmbeddedLab start() throws ZoneLoadException, BindException {
    BindException last = null;
    int attempts = requestedPlan.dnsPort() == 0 || requestedPlan.adminPort() == 0 ? PORT_ATTEMPTS : 1;
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
    plan = requestedPlan;
    for (LabRole role : AUTHORITIES) {
      AuthorityServer server = new AuthorityServer(config(role));
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

  private AuthorityConfig config(LabRole role) {
    return new AuthorityConfig(
        role.serviceName(),
        plan.dnsAddress(role),
        plan.adminAddress(role),
        List.of(zonesRoot.resolve(role.zoneDirectory())),
        plan.zoneRewrite(),
        Cidr.LOOPBACK,
        1);
  }

  /** The plan actually in use, with the real ports when 0 was asked for. */
  public AddressPlan plan() {
    return plan;
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
}
