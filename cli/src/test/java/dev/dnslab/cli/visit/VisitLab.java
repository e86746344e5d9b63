package dev.dnslab.cli.visit;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioReader;
import dev.dnslab.lab.EmbeddedLab;
import dev.dnslab.recursor.DnssecValidation;
import dev.dnslab.recursor.RecursorConfig;
import dev.dnslab.recursor.RecursorServer;
import dev.dnslab.router.RouterConfig;
import dev.dnslab.router.RouterServer;
import dev.dnslab.web.WebServer;
import dev.dnslab.web.WebServerConfig;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole lab a visit needs, started by the test itself: root, TLD and authoritative (EmbeddedLab,
 * signed), the recursor validating from the lab's trust anchor, the router cache and the web server,
 * on a random 127.x.y.0/24 with free ports so that parallel runs (and a lab already up on
 * 127.53.0.0/24) do not collide. {@link #start(String)} puts a scenario's faults on the name servers.
 */
final class VisitLab implements AutoCloseable {
  private static final int ATTEMPTS = 10;

  EmbeddedLab authorities;
  RecursorServer recursor;
  RouterServer router;
  WebServer web;
  Path stateDir;

  static VisitLab start() throws Exception {
    return start(null);
  }

  /** The lab with the faults of {@code scenarios/NAME.yaml} (e.g. dnssec-expired), or none for null. */
  static VisitLab start(String scenario) throws Exception {
    Scenario faults = scenario == null ? null : ScenarioReader.read(Path.of("..", "scenarios", scenario + ".yaml"));
    BindException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      Cidr network = Cidr.parse("127." + random.nextInt(61, 99) + "." + random.nextInt(1, 255) + ".0/24");
      VisitLab lab = new VisitLab();
      try {
        lab.startOn(network, faults);
        return lab;
      } catch (BindException e) {
        lab.close();
        last = e;
      }
    }
    throw last;
  }

  private void startOn(Cidr network, Scenario faults) throws Exception {
    stateDir = Files.createTempDirectory("dnslab-visit-state-");
    Path zones = Path.of("..", "zones");
    // The lab's keys live in stateDir, where the DNSSEC faults find them to sign their crafted data.
    EmbeddedLab.Builder builder = EmbeddedLab.builder().plan(new AddressPlan(network, 0, 0)).stateDir(stateDir)
        .zones(faults == null ? zones : faults.zones(zones));
    if (faults != null) {
      builder.interceptors(faults.interceptors(new QueryJournal(), KeyDirectory.inStateDir(stateDir)));
    }
    authorities = builder.build().start();
    AddressPlan plan = authorities.plan();
    recursor = new RecursorServer(RecursorConfig.builder()
        .listen(new InetSocketAddress(plan.address(LabRole.RECURSOR), 0))
        .admin(new InetSocketAddress(plan.address(LabRole.RECURSOR), 0))
        .rootHints(dev.dnslab.core.zone.RootHints.lab(plan))
        .upstreamPort(plan.dnsPort())
        .allowedUpstreams(List.of(network))
        .labNetworks(List.of(network))
        .stateDir(stateDir)
        .threads(1)
        .dnssec(DnssecValidation.anchors(authorities.trustAnchor().ds()))
        .build()).start();
    router = new RouterServer(RouterConfig.builder()
        .listen(new InetSocketAddress(plan.address(LabRole.ROUTER), 0))
        .admin(new InetSocketAddress(plan.address(LabRole.ROUTER), 0))
        .upstream(recursor.dnsAddress())
        .build()).start();
    web = new WebServer(WebServerConfig.onPorts(plan.address(LabRole.WEB), 0, 0, 0, Path.of("../sites"), stateDir)
        .withThreads(1)).start();
  }

  String webAddress() {
    return authorities.plan().address(LabRole.WEB).getHostAddress();
  }

  /** Visit options aimed at this lab, with a state directory of its own. */
  VisitOptions.Builder options(Path visitState) {
    return VisitOptions.builder(visitState)
        .router(router.dnsAddress(), router.adminAddress())
        .recursorAdmin(recursor.adminAddress())
        .recursorDns(recursor.dnsAddress())
        .ports(web.httpAddress().getPort(), web.httpsAddress().getPort());
  }

  @Override
  public void close() {
    if (web != null) {
      web.close();
    }
    if (router != null) {
      router.close();
    }
    if (recursor != null) {
      recursor.close();
    }
    if (authorities != null) {
      authorities.close();
    }
    ChromiumScreenshot.deleteTree(stateDir);
  }
}
