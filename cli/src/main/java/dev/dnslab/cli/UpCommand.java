package dev.dnslab.cli;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BindAdvice;
import dev.dnslab.core.lab.ForegroundRun;
import dev.dnslab.core.lab.HangupSignal;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.ratelimit.RateLimitOptions;
import dev.dnslab.core.ratelimit.ResponseRateLimit;
import dev.dnslab.core.authority.AuthorityLauncher;
import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.zone.ZoneLoadException;
import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.dnssec.TrustAnchorFiles;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioException;
import dev.dnslab.core.scenario.ScenarioReader;
import dev.dnslab.lab.EmbeddedLab;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dnslab up}: the whole lab in this JVM, in the foreground, until Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start the whole lab on loopback: root 127.53.0.11, TLD .12, authoritative .13,",
      "recursor .53 (DNS, DoH, DoT), web server .80 (HTTP, HTTPS) and router cache .254."})
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

  @Option(names = "--http-port", description = "Web server HTTP port (default: 80 with --port 53, else 8080).")
  Integer httpPort;

  @Option(names = "--https-port", description = "Web server HTTPS port (default: 443 with --port 53, else 8443).")
  Integer httpsPort;

  @Option(names = "--doh-port", description = "Recursor DNS-over-HTTPS port (default: 443 with --port 53, else 8443).")
  Integer dohPort;

  @Option(names = "--dot-port", description = "Recursor DNS-over-TLS port (default: 853 with --port 53, else 8853).")
  Integer dotPort;

  @Option(names = "--authorities-only", description = "Run only the root, TLD and authoritative servers.")
  boolean authoritiesOnly;

  @Option(names = "--sites", description = "Folder with one folder per lab site (default: ./sites or the bundled copy).")
  Path sites;

  @Option(names = "--state-dir", description = "Where the lab CA and DNSSEC keys are kept (default: $DNSLAB_STATE_DIR or ~/.dnslab).")
  Path stateDir;

  @Option(names = "--no-dnssec", description = "Serve the zones unsigned (by default the lab signs them; see dnslab "
      + "trust-anchor); the recursor then does not validate.")
  boolean noDnssec;

  @Option(names = "--no-ipv6", description = "The recursor never asks a name server over IPv6 (by default it does "
      + "wherever the lab's IPv6 addresses can be bound).")
  boolean noIpv6;

  @Option(names = "--no-ipv4", description = "The recursor asks name servers over IPv6 only (needs the lab's IPv6 "
      + "addresses, e.g. in a network namespace).")
  boolean noIpv4;
  @Option(names = "--trust-anchor", paramLabel = "FILE", description = "The recursor validates DNSSEC from this anchor, "
      + "any format dnslab trust-anchor writes (default: the lab root's own).")
  Path trustAnchor;

  /**
   * Hidden: the launcher's class-data sharing training start (see FirstAnswerTraining); without
   * --state-dir it makes the lab's keys where the first up looks for them (TrainingStateDir).
   */
  @Option(names = "--stop-after-first-answer", hidden = true)
  boolean stopAfterFirstAnswer;

  /**
   * Privileged ports only when the lab is on port 53 (then the user can bind low ports); an
   * unprivileged lab moves every service to an unprivileged port too.
   */
  private int defaultPort(Integer given, int privileged, int unprivileged) {
    return given != null ? given : port == AddressPlan.DEFAULT_DNS_PORT ? privileged : unprivileged;
  }

  @Mixin RateLimitOptions rateLimit = new RateLimitOptions();

  @Option(names = "--scenario", description = "A scenario file (see scenarios/README.md): zones laid over the lab's and faults to inject.")
  Path scenario;

  @Override
  public Integer call() throws IOException {
    if (!stopAfterFirstAnswer || stateDir != null) {
      return run();
    }
    try (TrainingStateDir training = TrainingStateDir.choose(LabCertificateAuthority.defaultStateDir())) {
      stateDir = training.dir();
      spec.commandLine().getOut().println("training start: " + training.describe());
      return run();
    }
  }

  private int run() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AddressPlan plan = new AddressPlan(Cidr.parse(labNetwork), port, adminPort);
    EmbeddedLab.Builder builder = EmbeddedLab.builder().plan(plan);
    if (zones != null) {
      builder.zones(zones);
    }
    if (!authoritiesOnly) {
      builder.everything()
          .webPorts(defaultPort(httpPort, 80, 8080), defaultPort(httpsPort, 443, 8443))
          .encryptedDnsPorts(defaultPort(dohPort, 443, 8443), defaultPort(dotPort, 853, 8853));
      if (sites != null) {
        builder.sites(sites);
      }
    }
    if (stateDir != null) {
      builder.stateDir(stateDir);
    }
    if (noDnssec) {
      builder.withoutDnssec();
    }
    Optional<ResponseRateLimit> everyAuthority;
    try {
      everyAuthority = rateLimit.settings();
    } catch (IllegalArgumentException e) {
      err.println("dnslab: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    builder.rateLimits(role -> everyAuthority);
    if (noIpv4 && noIpv6) {
      err.println("dnslab: --no-ipv4 and --no-ipv6: the recursor would have no address family left");
      return picocli.CommandLine.ExitCode.USAGE;
    }
    builder.recursorFamilies(!noIpv4, !noIpv6);
    if (trustAnchor != null) {
      builder.recursorTrustAnchor(trustAnchor);
    }
    QueryJournal journal = new QueryJournal();
    if (scenario != null) {
      try {
        Scenario loaded = ScenarioReader.read(scenario);
        builder.zones(loaded.zones(zones != null ? zones : BundledZones.locate()))
            .interceptors(loaded.interceptors(journal, KeyDirectory.inStateDir(
                stateDir != null ? stateDir : LabCertificateAuthority.defaultStateDir())))
            .rateLimits(role -> loaded.rateLimit(role).or(() -> everyAuthority));
        out.println("scenario " + loaded.name() + ": " + loaded.description());
      } catch (ScenarioException | IOException e) {
        err.println("dnslab: refusing to start: " + e.getMessage());
        return AuthorityLauncher.EXIT_BAD_ZONE;
      }
    }
    EmbeddedLab lab = builder.build();
    try {
      lab.start();
    } catch (ZoneLoadException e) {
      err.println("dnslab: refusing to start: " + e.getMessage());
      return AuthorityLauncher.EXIT_BAD_ZONE;
    } catch (BindException e) {
      err.println("dnslab: " + BindAdvice.explain(e));
      return AuthorityLauncher.EXIT_CANNOT_BIND;
    }
    HangupSignal.onHangup(() -> lab.authorities().forEach(AuthorityServer::reloadOrKeepServing));
    out.println("dnslab is up:");
    for (LabRole role : new LabRole[] {LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE}) {
      out.printf("  %-17s dns %s  admin http://%s:%d/metrics%n", role.serviceName(),
          lab.address(role).getAddress().getHostAddress() + ":" + lab.address(role).getPort(),
          lab.authority(role).adminAddress().getAddress().getHostAddress(), lab.authority(role).adminAddress().getPort());
    }
    LabSummary.print(lab, out);
    if (lab.signed()) {
      out.println("DNSSEC: zones signed with the keys in " + lab.stateDir().resolve("keys")
          + "; a validating resolver needs the anchor in " + lab.stateDir().resolve(TrustAnchorFiles.DS_FILE)
          + " (`dnslab trust-anchor --format F` for other forms)");
    }
    AdminServer journalAdmin = scenario == null ? null : JournalAdmin.start(lab, journal, out);
    out.flush();
    Runnable stop = () -> {
      if (journalAdmin != null) {
        journalAdmin.close();
      }
      lab.close();
    };
    if (stopAfterFirstAnswer) {
      boolean answered = lab.recursor() != null && FirstAnswerTraining.ask(lab.recursor().dnsAddress());
      stop.run();
      return answered ? CommandLine.ExitCode.OK : CommandLine.ExitCode.SOFTWARE;
    }
    return ForegroundRun.untilShutdown(stop::run);
  }
}
