package dev.dnslab.junit.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.dnslab.core.fault.RecordedQuery;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioCheck;
import dev.dnslab.core.server.Transport;
import dev.dnslab.junit.Lab;
import dev.dnslab.junit.ScenarioLibrary;
import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Runs one resolver over every shipped scenario: a fresh lab on port 53 of a random loopback /24
 * (any free port for a resolver that can ask there), a fresh resolver (empty cache) pointed at its
 * root hints and started once it answers, then each of the scenario's checks,
 * asserting the outcome a correct resolver reaches. Every outcome goes to {@link MatrixTable}.
 *
 * <p>The DNSSEC scenarios ({@link ScenarioLibrary#DNSSEC_NAMES}) run the resolver validating from
 * the lab's trust anchor, ask with DO (so it reports AD, RFC 6840 5.7) and check AD where the
 * scenario says; the others run it with validation off, as before the lab was signed, since their
 * faults change answers without signing them again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ResolverMatrix {
  /** How long the client waits for each try before asking again, as stub resolvers do. */
  private static final Duration STUB_RETRY = Duration.ofSeconds(2);

  @TempDir Path work;
  private long started;

  /** A new, not yet started resolver; validating from the lab's trust anchor, or not validating at all. */
  abstract ResolverUnderTest newResolver(boolean validating);

  /**
   * Why this resolver cannot validate, if it cannot: its DNSSEC scenarios are then reported as
   * skipped with that reason (a missing feature, not a missing tool).
   */
  Optional<String> doesNotValidate() {
    return Optional.empty();
  }

  /** What this resolver needs here: its program, and port 53 (it asks name servers there only). */
  abstract List<Tool> requiredTools();

  /** The port of the lab's servers: 53, since real resolvers ask name servers there only. */
  int labPort() {
    return 53;
  }

  /**
   * Scenarios in which this resolver is known to miss the correct outcome, with why. They are run
   * and tabled like the others, then reported as aborted instead of failed; one that starts passing
   * fails, so the list never goes stale.
   */
  Map<String, String> knownDeviations() {
    return Map.of();
  }

  @BeforeAll
  void checkEnvironment() {
    RequiredTools.require(requiredTools().toArray(Tool[]::new));
    started = System.nanoTime();
  }

  @AfterAll
  void writeTable() {
    MatrixTable.runtime(newResolver(false).name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    MatrixTable.write();
    System.out.println(MatrixTable.render());
  }

  @TestFactory
  Stream<DynamicTest> shippedScenarios() {
    return ScenarioLibrary.NAMES.stream().filter(name -> !ScenarioLibrary.DNSSEC_NAMES.contains(name))
        .map(name -> DynamicTest.dynamicTest(name, () -> run(name, false)));
  }

  @TestFactory
  Stream<DynamicTest> dnssecScenarios() {
    return ScenarioLibrary.DNSSEC_NAMES.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      doesNotValidate().ifPresent(reason -> {
        MatrixTable.add(new MatrixTable.Row(newResolver(false).name(), name, "-", "validated answers", "-", 0,
            "not validating: " + reason));
        abort(reason);
      });
      run(name, true);
    }));
  }

  private void run(String scenarioName, boolean validating) throws Exception {
    Path dir = Files.createDirectories(work.resolve(scenarioName));
    try (Lab lab = Lab.builder().scenario(scenarioName).port(labPort()).start();
        ResolverUnderTest resolver = newResolver(validating)) {
      resolver.start(lab, dir);
      Scenario scenario = lab.scenario().orElseThrow();
      String deviation = knownDeviations().get(scenarioName);
      List<String> failures = new ArrayList<>();
      for (ScenarioCheck check : scenario.checks()) {
        String failure = runCheck(resolver, lab, scenario, check, deviation != null, validating);
        if (failure != null) {
          failures.add(failure);
        }
      }
      if (scenarioName.equals("delay")) {
        MatrixTable.add(habits(resolver.name(), lab.journal().queries()));
      }
      // The resolver iterated from the lab's root (its hints), from loopback only.
      assertThat(lab.journal().queries(q -> q.server().equals(LabRole.ROOT.serviceName())))
          .as("the lab root received the resolver's queries\n-- resolver log --\n%s", tail(resolver.log()))
          .isNotEmpty();
      assertThat(lab.journal().queries(q -> !q.client().getAddress().isLoopbackAddress()))
          .as("queries from outside loopback").isEmpty();
      if (deviation != null) {
        if (failures.isEmpty()) {
          fail(resolver.name() + " now passes " + scenarioName + "; remove it from knownDeviations()");
        }
        abort("known deviation of " + resolver.name() + ": " + deviation + " " + failures);
      }
      assertThat(failures)
          .as("%s in %s\n-- lab journal --\n%s-- resolver log --\n%s", resolver.name(), scenarioName,
              lab.journal().dump(), tail(resolver.log()))
          .isEmpty();
    }
  }

  /** Asks one check's question; returns null if the outcome is correct, else what was wrong. */
  private String runCheck(ResolverUnderTest resolver, Lab lab, Scenario scenario, ScenarioCheck check, boolean known,
      boolean validating) throws IOException {
    SimpleResolver client = new SimpleResolver(resolver.address());
    if (validating) {
      client.setEDNS(0, 1232, ExtendedFlags.DO, List.of()); // RFC 6840 5.7: AD comes back for DO queries
    }
    Message query = Message.newQuery(Record.newRecord(check.name(), check.type(), DClass.IN));
    long start = System.nanoTime();
    long deadline = start + check.within().toNanos();
    Message response = null;
    // Like a stub resolver (dig +time=2, glibc's timeout:2): ask again every 2 s until the bound.
    while (response == null && deadline - System.nanoTime() > 0) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      client.setTimeout(Duration.ofMillis(Math.max(1, Math.min(STUB_RETRY.toMillis(), left))));
      try {
        response = client.send(query);
      } catch (IOException timedOut) {
        // no answer to this try; after the last one, recorded as TIMEOUT
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    List<String> answers = response == null ? List.of() : response.getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == Type.A || r.getType() == Type.AAAA)
        .map(Record::rdataToString).collect(Collectors.toList());
    List<String> problems = new ArrayList<>();
    if (response == null) {
      if (!check.rcodes().contains(ScenarioCheck.TIMEOUT)) {
        problems.add("no answer within " + check.within().toMillis() + "ms");
      }
    } else if (!check.rcodes().contains(response.getRcode())) {
      problems.add("rcode " + Rcode.string(response.getRcode()));
    }
    if (response != null && response.getRcode() == Rcode.NOERROR) {
      for (String expected : check.answer()) {
        String address = lab.address(expected).getHostAddress();
        if (!answers.contains(address)) {
          problems.add("answer lacks " + address);
        }
      }
    }
    for (String forbidden : check.never()) {
      if (answers.contains(forbidden)) {
        problems.add("answered forged " + forbidden);
      }
    }
    boolean authenticated = response != null && response.getHeader().getFlag(Flags.AD);
    if (validating && response != null && response.getRcode() != Rcode.SERVFAIL) {
      check.authenticated().filter(ad -> ad != authenticated).ifPresent(ad -> problems.add(ad ? "no AD" : "AD set"));
    }
    if (response != null && millis > check.within().toMillis()) {
      problems.add("took " + millis + "ms");
    }
    check.tcpAt().ifPresent(role -> {
      List<RecordedQuery> tcp = lab.journal().queries(
          q -> q.server().equals(role.serviceName()) && q.transport() == Transport.TCP);
      if (tcp.isEmpty()) {
        problems.add("no TCP query at " + role.serviceName());
      }
    });

    String got = response == null ? "TIMEOUT" : Rcode.string(response.getRcode())
        + (answers.isEmpty() ? "" : " " + summarize(answers)) + (validating && authenticated ? " AD" : "");
    if (check.tcpAt().isPresent() && !problems.contains("no TCP query at " + check.tcpAt().get().serviceName())) {
      got += " (TCP at " + check.tcpAt().get().serviceName() + ")";
    }
    String expected = check.rcodes().stream().sorted().map(ScenarioCheck::rcodeName).collect(Collectors.joining("/"))
        + (check.answer().isEmpty() ? "" : " " + String.join(",", check.answer()))
        + (check.never().isEmpty() ? "" : ", never " + String.join(",", check.never()))
        + check.tcpAt().map(r -> ", TCP at " + r.serviceName()).orElse("")
        + check.authenticated().map(ad -> ad ? ", AD" : ", no AD").orElse("")
        + ", <= " + check.within().toSeconds() + "s";
    boolean pass = problems.isEmpty();
    MatrixTable.add(new MatrixTable.Row(resolver.name(), scenario.name(),
        check.name() + " " + Type.string(check.type()), expected, got, millis, pass ? "ok" : known ? "known deviation" : "**FAIL**"));
    return pass ? null : check.describe() + ": " + String.join("; ", problems) + " (got " + got + ")";
  }

  /** How the resolver asked for www.google.com: what the journal shows a test can assert. */
  private static MatrixTable.Habits habits(String resolver, List<RecordedQuery> queries) {
    List<RecordedQuery> google = queries.stream()
        .filter(q -> q.qname().toLowerCase(java.util.Locale.ROOT).endsWith("google.com.")).collect(Collectors.toList());
    String atTld = google.stream().filter(q -> q.server().equals(LabRole.TLD.serviceName()))
        .map(q -> q.qname() + " " + Type.string(q.qtype())).distinct().collect(Collectors.joining(", "));
    boolean mixedCase = google.stream().anyMatch(q -> !q.qname().equals(q.qname().toLowerCase(java.util.Locale.ROOT)));
    String edns = google.stream().map(q -> q.edns() < 0 ? "none" : String.valueOf(q.edns())).distinct()
        .collect(Collectors.joining("/"));
    boolean dnssecOk = google.stream().anyMatch(RecordedQuery::dnssecOk);
    boolean rd = google.stream().anyMatch(RecordedQuery::recursionDesired);
    return new MatrixTable.Habits(resolver, atTld.isEmpty() ? "-" : atTld, mixedCase, edns, dnssecOk, rd);
  }

  private static String summarize(List<String> answers) {
    return answers.size() <= 3 ? String.join(",", answers) : answers.get(0) + ",... (" + answers.size() + " addresses)";
  }

  private static String tail(String log) {
    String[] lines = log.split("\n");
    return Stream.of(lines).skip(Math.max(0, lines.length - 40)).collect(Collectors.joining("\n"));
  }

}
