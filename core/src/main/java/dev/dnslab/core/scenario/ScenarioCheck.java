package dev.dnslab.core.scenario;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.lab.LabRole;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * One question to ask a resolver under test, in order, and the outcome a correct resolver reaches.
 *
 * @param name the QNAME to ask
 * @param type the QTYPE to ask
 * @param rcodes the acceptable response codes (one of them must come back); {@link #TIMEOUT} in
 *     the set accepts no answer at all within {@code within} (a resolver still retrying)
 * @param answer addresses (RDATA text) the answer must contain when it is NOERROR; addresses in the
 *     lab's network 127.53.0.0/24 are written as in the zone files
 * @param never RDATA text that must never appear in any answer (poisoned or forged data)
 * @param within how long the resolver may take, including its retries
 * @param tcpAt a server that must have received a TCP query by the end of this check, if any
 * @param authenticated for a validating resolver with the lab's trust anchor: whether the answer
 *     must carry AD (true: validated, RFC 4035 3.2.3) or must not (false: insecure); empty when the
 *     check does not say (bogus answers are SERVFAIL, which carries no AD either way)
 * @param after how long to wait before asking, so that what the resolver cached runs out (a
 *     serve-stale check); zero by default
 * @param ede the RFC 8914 Extended DNS Error code a NOERROR answer must carry (3 "Stale Answer"
 *     for serve-stale); the question then goes with EDNS; empty when the check does not say
 * @param line where the check is written
 */
public record ScenarioCheck(
    Name name,
    int type,
    Set<Integer> rcodes,
    List<String> answer,
    List<String> never,
    Duration within,
    Optional<LabRole> tcpAt,
    Optional<Boolean> authenticated,
    Duration after,
    Optional<Integer> ede,
    int line) {

  /** Stands for "no answer within the bound" among the acceptable outcomes. */
  public static final int TIMEOUT = -1;

  /** The default time bound: generous for a resolver's retries, small enough to keep a matrix fast. */
  public static final Duration DEFAULT_WITHIN = Duration.ofSeconds(10);

  public ScenarioCheck {
    requireNonNull(name, "name");
    rcodes = Set.copyOf(requireNonNull(rcodes, "rcodes"));
    answer = List.copyOf(requireNonNull(answer, "answer"));
    never = List.copyOf(requireNonNull(never, "never"));
    requireNonNull(within, "within");
    requireNonNull(tcpAt, "tcpAt");
    requireNonNull(authenticated, "authenticated");
    requireNonNull(after, "after");
    requireNonNull(ede, "ede");
    if (rcodes.isEmpty()) {
      throw new IllegalArgumentException("rcodes: [] (expected: at least one)");
    }
  }

  /** The name of an acceptable outcome: an rcode's mnemonic, or TIMEOUT. */
  public static String rcodeName(int rcode) {
    return rcode == TIMEOUT ? "TIMEOUT" : Rcode.string(rcode);
  }

  /** {@code www.google.com. A -> NOERROR 127.53.0.80 within 10s}. */
  public String describe() {
    StringBuilder text = new StringBuilder((after.isZero() ? "" : "after " + after.toMillis() + "ms: ")
        + name + " " + Type.string(type) + " ->");
    rcodes.stream().sorted().forEach(r -> text.append(' ').append(rcodeName(r)));
    answer.forEach(a -> text.append(' ').append(a));
    never.forEach(n -> text.append(" never ").append(n));
    tcpAt.ifPresent(role -> text.append(" tcp@").append(role.serviceName()));
    authenticated.ifPresent(ad -> text.append(ad ? " AD" : " no AD"));
    ede.ifPresent(code -> text.append(" EDE ").append(code));
    return text.append(" within ").append(within.toMillis()).append("ms").toString();
  }
}
