package dev.dnslab.junit.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.dnslab.core.fault.RecordedQuery;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.scenario.CheckOutcome;
import dev.dnslab.core.scenario.CheckRunner;
import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioCheck;
import dev.dnslab.core.server.Transport;
import dev.dnslab.junit.Lab;
import dev.dnslab.junit.ScenarioLibrary;
import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.Tool;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
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

  /**
   * Scenarios in which this resolver is known to answer SERVFAIL now and then where it should
   * answer, with why and how often it was measured to. There, a check that gets SERVFAIL is asked
   * again, up to {@link #STUB_TRIES} tries, as a stub asks again after SERVFAIL; every try is
   * tabled. A resolver that never answers still fails, any other wrong answer fails at once, and
   * the checks of every other scenario, and of every other resolver, are asked once.
   */
  Map<String, String> intermittentServfail() {
    return Map.of();
  }

  /**
   * Tries of one check in an {@link #intermittentServfail()} scenario. glibc's stub takes SERVFAIL
   * as "ask the next server" and goes round its servers {@code attempts} times (res_send,
   * resolv.conf(5): default 2), so a stub with one resolver asks twice. Knot Resolver 5.6 gets
   * ns-cycle-way-out wrong in 69 of 2,600 tries, each try on its own: 2 tries would still fail
   * the matrix about once in 1,400 runs, 3 about once in 50,000.
   */
  static final int STUB_TRIES = 3;

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

  /**
   * {@code -Ddnslab.matrix.scenarios=qmin-refused,ttl-zero} runs only those scenarios: to table the
   * peers on new scenarios without a full run. Unset, every shipped scenario runs.
   */
  static final String ONLY_SCENARIOS = "dnslab.matrix.scenarios";

  /** The scenarios {@link #ONLY_SCENARIOS} names, or every one when it is unset. */
  private static Predicate<String> chosenScenarios() {
    return chosenScenarios(System.getProperty(ONLY_SCENARIOS, ""));
  }

  /**
   * The scenarios a comma-separated {@code only} names, every one when it is blank; a name that is
   * no shipped scenario fails the run, which would otherwise run nothing and pass.
   */
  static Predicate<String> chosenScenarios(String only) {
    if (only.isBlank()) {
      return name -> true;
    }
    Set<String> chosen = Set.copyOf(List.of(only.strip().split("\\s*,\\s*")));
    List<String> unknown = chosen.stream().filter(name -> !ScenarioLibrary.NAMES.contains(name)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "-D" + ONLY_SCENARIOS + ": no shipped scenario named " + unknown + " (expected some of " + ScenarioLibrary.NAMES + ")");
    }
    return chosen::contains;
  }

  @TestFactory
  Stream<DynamicTest> shippedScenarios() {
    return ScenarioLibrary.NAMES.stream()
        .filter(name -> !ScenarioLibrary.DNSSEC_NAMES.contains(name))
        .filter(chosenScenarios())
        .map(name -> DynamicTest.dynamicTest(name, () -> run(name, false)));
  }

  @TestFactory
  Stream<DynamicTest> dnssecScenarios() {
    return ScenarioLibrary.DNSSEC_NAMES.stream()
        .filter(chosenScenarios())
        .map(name -> DynamicTest.dynamicTest(name, () -> {
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
      String intermittent = intermittentServfail().get(scenarioName);
      int tries = intermittent == null ? 1 : STUB_TRIES;
      List<String> failures = new ArrayList<>();
      for (ScenarioCheck check : scenario.checks()) {
        String failure = runCheck(resolver, lab, scenario, check, deviation != null, validating, tries);
        if (failure != null) {
          failures.add(failure);
        }
      }
      if (scenarioName.equals("delay")) {
        MatrixTable.add(habits(resolver.name(), lab.journal().queries()));
      }
      // The resolver iterated from the lab's root (its hints), from loopback only.
      assertThat(lab.journal().queries(q -> q.server().equals(LabRole.ROOT.serviceName())))
          .as("the lab root received the resolver's queries (%s)\n-- lab journal --\n%s-- resolver log --\n%s",
              failures, lab.journal().dump(), tail(resolver.log()))
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
          .as("%s in %s%s\n-- lab journal --\n%s-- resolver log --\n%s", resolver.name(), scenarioName,
              intermittent == null ? "" : ", asked up to " + tries + " times (" + intermittent + ")",
              lab.journal().dump(), tail(resolver.log()))
          .isEmpty();
    }
  }

  /**
   * Asks one check's question, again after a SERVFAIL while fewer than {@code tries} were made;
   * returns null if the last outcome is correct, else what was wrong.
   */
  private String runCheck(ResolverUnderTest resolver, Lab lab, Scenario scenario, ScenarioCheck check, boolean known,
      boolean validating, int tries) throws IOException {
    for (int tried = 1; ; tried++) {
      CheckOutcome outcome = CheckRunner.run(check, resolver.address(), labView(lab), validating);
      boolean askAgain = !outcome.passed() && outcome.got().startsWith("SERVFAIL") && tried < tries;
      String question = tries == 1 ? outcome.question() : outcome.question() + " (try " + tried + " of " + tries + ")";
      MatrixTable.add(new MatrixTable.Row(resolver.name(), scenario.name(), question, outcome.expected(),
          outcome.got(), outcome.millis(), outcome.passed() ? "ok" : askAgain ? "asked again (intermittent SERVFAIL)"
              : known ? "known deviation" : "**FAIL**"));
      if (!askAgain) {
        return outcome.failure();
      }
    }
  }

  /** The in-process lab as the check judge sees it: its address plan and its journal. */
  private static CheckRunner.LabView labView(Lab lab) {
    return new CheckRunner.LabView() {
      @Override
      public InetAddress address(String zoneFileAddress) {
        return lab.address(zoneFileAddress);
      }

      @Override
      public boolean receivedTcp(LabRole role) {
        return !lab.journal().queries(
            q -> q.server().equals(role.serviceName()) && q.transport() == Transport.TCP).isEmpty();
      }
    };
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

  private static String tail(String log) {
    String[] lines = log.split("\n");
    return Stream.of(lines).skip(Math.max(0, lines.length - 40)).collect(Collectors.joining("\n"));
  }

}
