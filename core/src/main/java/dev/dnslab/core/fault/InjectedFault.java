package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

/**
 * One fault applied to one query.
 *
 * @param fault the fault's name, e.g. {@code truncate} or {@code rcode SERVFAIL}
 * @param query the query it was applied to
 */
public record InjectedFault(String fault, RecordedQuery query) {
  public InjectedFault {
    requireNonNull(fault, "fault");
    requireNonNull(query, "query");
  }

  @Override
  public String toString() {
    return fault + " <- " + query;
  }
}
