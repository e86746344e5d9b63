package dev.dnslab.core.scenario;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.xbill.DNS.Type;

/**
 * How a resolver under test fared on one {@link ScenarioCheck}, as {@link CheckRunner} judged it.
 *
 * @param check the check asked
 * @param expected the outcome a correct resolver reaches, e.g. {@code NOERROR 127.53.0.80, <= 10s}
 * @param got what came back, e.g. {@code NOERROR 127.53.0.80 (TCP at tld-ns)} or {@code TIMEOUT}
 * @param millis how long the resolver took, retries included
 * @param problems what was wrong; empty when the outcome is correct
 */
public record CheckOutcome(ScenarioCheck check, String expected, String got, long millis, List<String> problems) {
  public CheckOutcome {
    requireNonNull(check, "check");
    requireNonNull(expected, "expected");
    requireNonNull(got, "got");
    problems = List.copyOf(requireNonNull(problems, "problems"));
  }

  /** Whether the resolver reached the correct outcome. */
  public boolean passed() {
    return problems.isEmpty();
  }

  /** The question asked: {@code www.google.com. A}. */
  public String question() {
    return check.name() + " " + Type.string(check.type());
  }

  /** {@code www.google.com. A -> NOERROR ... : rcode SERVFAIL (got SERVFAIL)}, or null when it passed. */
  public String failure() {
    return passed() ? null : check.describe() + ": " + String.join("; ", problems) + " (got " + got + ")";
  }
}
