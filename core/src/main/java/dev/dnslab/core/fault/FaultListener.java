package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsRequest;

/** Told about every fault a {@link FaultHandler} injects, so tests can see what went wrong on purpose. */
@FunctionalInterface
public interface FaultListener {
  /** A listener that forgets everything. */
  FaultListener NONE = (request, fault) -> {};

  /**
   * @param request the query the fault was applied to
   * @param fault the fault's name as written in scenarios, e.g. {@code delay} or {@code rcode SERVFAIL}
   */
  void injected(DnsRequest request, String fault);
}
