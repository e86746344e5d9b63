package dev.dnslab.lab;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BindAdvice;
import dev.dnslab.core.lab.HangupSignal;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.zone.ZoneLoadException;
import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioException;
import dev.dnslab.core.scenario.ScenarioReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dnslab up}: the whole lab in this JVM, in the foreground, until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = "Start the whole lab on loopback: root 127.53.0.11, TLD .12, authoritative .13.")
final class UpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", description = "DNS port of every lab server (default: ${DEFAULT-VALUE}).")
  int port = AddressPlan.DEFAULT_DNS_PORT;

  @Option(names = "--admin-port", description = "Admin HTTP port of every lab server (default: ${DEFAULT-VALUE}).")
  int adminPort = AddressPlan.DEFAULT_ADMIN_PORT;

  @Option(names = "--lab-network", description = "The /24 the lab lives in (default: ${DEFAULT-VALUE}).")
  String labNetwork = AddressPlan.ZONE_FILE_NETWORK.toString();

  @Option(names = "--zones", description = "Folder with root/, tld/ and authoritative/ zone files (default: ./zones or the bundled copy).")
  Path zones;

  @Option(names = "--scenario", description = "A scenario file (see scenarios/README.md): zones laid over the lab's and faults to inject.")
  Path scenario;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AddressPlan plan = new AddressPlan(Cidr.parse(labNetwork), port, adminPort);
    EmbeddedLab.Builder builder = EmbeddedLab.builder().plan(plan);
    if (zones != null) {
      builder.zones(zones);
    }
    QueryJournal journal = new QueryJournal();
    if (scenario != null) {
      try {
        Scenario loaded = ScenarioReader.read(scenario);
        builder.zones(loaded.zones(zones != null ? zones : BundledZones.locate()))
            .interceptors(loaded.interceptors(journal));
        out.println("scenario " + loaded.name() + ": " + loaded.description());
      } catch (ScenarioException | IOException e) {
        err.println("dnslab: refusing to start: " + e.getMessage());
        return 65;
      }
    }
    EmbeddedLab lab = builder.build();
    try {
      lab.start();
    } catch (ZoneLoadException e) {
      err.println("dnslab: refusing to start: " + e.getMessage());
      return 65;
    } catch (BindException e) {
      err.println("dnslab: " + BindAdvice.explain(e));
      return 69;
    }
    HangupSignal.onHangup(() -> lab.authorities().forEach(AuthorityServer::reloadOrKeepServing));
    out.println("dnslab is up:");
    for (LabRole role : new LabRole[] {LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE}) {
      out.printf("  %-17s dns %s  admin http://%s:%d/metrics%n", role.serviceName(),
          lab.address(role).getAddress().getHostAddress() + ":" + lab.address(role).getPort(),
          lab.authority(role).adminAddress().getAddress().getHostAddress(), lab.authority(role).adminAddress().getPort());
    }
    AdminServer journalAdmin = scenario == null ? null : JournalAdmin.start(lab, journal, out);
    out.printf("Try: dig @%s -p %d www.google.com%n", lab.address(LabRole.ROOT).getAddress().getHostAddress(), lab.plan().dnsPort());
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (journalAdmin != null) {
        journalAdmin.close();
      }
      lab.close();
      stopped.countDown();
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
