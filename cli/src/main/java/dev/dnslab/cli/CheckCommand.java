package dev.dnslab.cli;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.scenario.CheckOutcome;
import dev.dnslab.core.scenario.CheckRunner;
import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioCheck;
import dev.dnslab.core.scenario.ScenarioException;
import dev.dnslab.core.scenario.ScenarioReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dnslab check}: the judge of a resolver under test. It waits for a lab started by {@code
 * dnslab up --scenario} (its query journal answers) and for the resolver (it answers anything),
 * asks the scenario's checks exactly as the resolver matrix does ({@link CheckRunner}), prints the
 * result as JUnit XML and one line of JSON, writes both into {@code --results} if given, and exits 0
 * when every check passed, 1 otherwise. One pod of deploy/kubernetes runs it as its judge.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Judge a resolver under test: ask a scenario's checks of it and print JUnit XML and JSON.",
      "Start the lab first (dnslab up --scenario FILE --port 53 --authorities-only) and point the",
      "resolver at its root hints (dnslab root-hints). Exit code 0: every check passed; 1: not."})
final class CheckCommand implements Callable<Integer> {
  /** Exit code when a check failed, or the lab or the resolver never answered. */
  static final int EXIT_FAILED = 1;

  /** How long one readiness probe waits for its answer. */
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  @Spec CommandSpec spec;

  @Option(names = "--scenario", required = true, description = "The scenario file the lab runs (see scenarios/README.md).")
  Path scenario;

  @Option(names = "--resolver", required = true, description = "The resolver under test, ADDRESS:PORT, e.g. 127.0.0.1:53.")
  String resolver;

  @Option(names = "--resolver-name", description = "Its label in the reports (default: ${DEFAULT-VALUE}).")
  String resolverName = "resolver";

  @Option(names = "--lab-network", description = "The /24 the lab lives in (default: ${DEFAULT-VALUE}).")
  String labNetwork = AddressPlan.ZONE_FILE_NETWORK.toString();

  @Option(names = "--admin-port", description = "The lab's admin port; its journal is one above (default: ${DEFAULT-VALUE}).")
  int adminPort = AddressPlan.DEFAULT_ADMIN_PORT;

  @Option(names = "--wait", description = "Seconds to wait for the lab and the resolver to answer (default: ${DEFAULT-VALUE}).")
  int waitSeconds = 120;

  @Option(names = "--validating", description = "The resolver validates DNSSEC with the lab's trust anchor: "
      + "secure answers must carry AD, insecure ones must not (the dnssec-* scenarios' checks).")
  boolean validating;

  @Option(names = "--results", description = "A folder to write TEST-dnslab-<scenario>-<resolver>.xml and .json into.")
  Path results;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Scenario loaded;
    try {
      loaded = ScenarioReader.read(scenario);
    } catch (ScenarioException e) {
      err.println("dnslab check: " + e.getMessage());
      return EXIT_FAILED;
    }
    InetSocketAddress address = parseAddress(resolver);
    AddressPlan plan = new AddressPlan(Cidr.parse(labNetwork), AddressPlan.DEFAULT_DNS_PORT, adminPort);
    InetSocketAddress journalAddress = JournalAdmin.address(plan);
    LabJournal lab = new LabJournal(plan, URI.create("http://" + journalAddress.getAddress().getHostAddress()
        + ":" + journalAddress.getPort() + "/journal"));

    long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
    String notReady = awaitLab(lab, deadline);
    if (notReady == null) {
      notReady = awaitResolver(address, deadline);
    }
    List<CheckOutcome> outcomes = new ArrayList<>();
    for (ScenarioCheck check : loaded.checks()) {
      outcomes.add(notReady != null
          ? new CheckOutcome(check, CheckRunner.expected(check), "not asked", 0, List.of(notReady))
          : CheckRunner.run(check, address, lab, validating));
    }
    CheckReport report = new CheckReport(loaded.name(), resolverName, resolver, outcomes);
    if (notReady != null) {
      err.println("dnslab check: " + notReady);
    }
    for (CheckOutcome outcome : outcomes) {
      err.printf("%-4s %s: expected %s, got %s (%d ms)%n", outcome.passed() ? "ok" : "FAIL",
          outcome.question(), outcome.expected(), outcome.got(), outcome.millis());
    }
    String xml = report.junitXml();
    String json = report.json();
    out.println(xml);
    out.println(json);
    out.flush();
    if (results != null) {
      Files.createDirectories(results);
      Files.writeString(results.resolve(report.baseName() + ".xml"), xml, StandardCharsets.UTF_8);
      Files.writeString(results.resolve(report.baseName() + ".json"), json + "\n", StandardCharsets.UTF_8);
    }
    err.println("dnslab check: " + loaded.name() + " against " + resolverName + ": "
        + (report.passed() ? "passed" : report.failures() + " of " + outcomes.size() + " checks failed"));
    err.flush();
    return report.passed() ? 0 : EXIT_FAILED;
  }

  /** Null once the lab serves its journal (it is up and runs the scenario); else why not. */
  private static String awaitLab(LabJournal lab, long deadline) {
    IOException last = null;
    do {
      try {
        lab.read();
        return null;
      } catch (IOException e) {
        last = e;
      }
    } while (pause(deadline));
    return "the lab did not serve " + lab.uri() + " in time (dnslab up --scenario running?): " + last.getMessage();
  }

  /**
   * Null once the resolver answers anything to {@code localhost. A}, which every resolver answers
   * itself (RFC 6761 6.3) without asking the lab, so waiting leaves the scenario's journal alone.
   */
  private static String awaitResolver(InetSocketAddress address, long deadline) {
    SimpleResolver client = new SimpleResolver(address);
    client.setTimeout(PROBE_TIMEOUT);
    Message probe = Message.newQuery(Record.newRecord(Name.fromConstantString("localhost."), Type.A, DClass.IN));
    do {
      try {
        client.send(probe);
        return null;
      } catch (IOException noAnswerYet) {
        // not listening yet, or still loading
      }
    } while (pause(deadline));
    return "the resolver at " + address.getAddress().getHostAddress() + ":" + address.getPort()
        + " did not answer in time";
  }

  /** Waits a little before the next try; false once the deadline has passed. */
  private static boolean pause(long deadline) {
    if (System.nanoTime() - deadline >= 0) {
      return false;
    }
    try {
      Thread.sleep(PROBE_TIMEOUT.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code 127.0.0.1:53} or {@code [::1]:53}: an address literal and a port. */
  private InetSocketAddress parseAddress(String text) {
    int colon = text.lastIndexOf(':');
    try {
      String host = text.substring(0, Math.max(0, colon)).replace("[", "").replace("]", "");
      if (host.isEmpty()) {
        throw new NumberFormatException("no address");
      }
      return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(text.substring(colon + 1)));
    } catch (IOException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "--resolver: " + text + " (expected: ADDRESS:PORT, e.g. 127.0.0.1:53)", e);
    }
  }
}
