package dev.dnslab.recursor.trace;

import dev.dnslab.recursor.dnssec.Validation;
import java.util.List;

/**
 * The result of {@code /trace?name=&type=}: a resolution with the cache bypassed and every
 * upstream step in order. Documented in recursor/README.md.
 *
 * @param question the client's question
 * @param qnameMinimisation whether QNAME minimisation (RFC 9156) was on
 * @param rcode the final rcode
 * @param answer the final answer section
 * @param authority the final authority section (the SOA of a negative answer)
 * @param failure why the resolution failed, null unless SERVFAIL
 * @param upstreamQueries how many queries were sent
 * @param durationMillis the whole resolution
 * @param steps every exchange with an upstream server
 * @param priming the recursor's last priming round (RFC 9609): the walk above starts from the root
 *     hints, the cached answers it serves from the primed root NS set
 * @param dnssec the answer's chain of trust (issue 14), null when the answer was not validated
 */
public record Trace(
    TraceStep.Question question,
    boolean qnameMinimisation,
    String rcode,
    List<String> answer,
    List<String> authority,
    String failure,
    int upstreamQueries,
    double durationMillis,
    List<TraceStep> steps,
    Priming priming,
    TraceDnssec dnssec) {

  /** A trace without a chain of trust ({@code dnssec} null): validation off, or not done yet. */
  public Trace(TraceStep.Question question, boolean qnameMinimisation, String rcode, List<String> answer,
      List<String> authority, String failure, int upstreamQueries, double durationMillis, List<TraceStep> steps,
      Priming priming) {
    this(question, qnameMinimisation, rcode, answer, authority, failure, upstreamQueries, durationMillis, steps,
        priming, null);
  }

  /** This trace with the chain of trust the validator found for its answer. */
  public Trace withDnssec(Validation validation) {
    return withDnssec(TraceDnssec.of(validation));
  }

  /** This trace with {@code dnssec} as its chain of trust. */
  public Trace withDnssec(TraceDnssec dnssec) {
    return new Trace(question, qnameMinimisation, rcode, answer, authority, failure, upstreamQueries, durationMillis,
        steps, priming, dnssec);
  }
}
