package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Message;

/**
 * A fault that switches on mid-run: the first {@code afterQueries} queries its match selects are
 * answered normally, every later one gets the fault. A scenario can so let a resolver learn good
 * data first and then take the authority away (serve-stale, RFC 8767). Counting queries rather
 * than seconds keeps a run the same on a slow machine.
 */
public final class DeferredFault extends FaultHandler {
  private final FaultHandler fault;
  private final long afterQueries;
  private final AtomicLong seen = new AtomicLong();

  /** @param afterQueries how many matching queries pass untouched before the fault starts (>= 1) */
  public DeferredFault(FaultHandler fault, long afterQueries, FaultListener listener) {
    super(requireNonNull(fault, "fault").name(), fault.match(), listener);
    if (afterQueries < 1) {
      throw new IllegalArgumentException("after-queries: " + afterQueries + " (expected: >= 1)");
    }
    this.fault = fault;
    this.afterQueries = afterQueries;
  }

  @Override
  public void arm() {
    fault.arm();
  }

  @Override
  protected boolean appliesTo(DnsRequest request) {
    return seen.incrementAndGet() > afterQueries && fault.appliesTo(request);
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return fault.inject(request, next);
  }

  public long afterQueries() {
    return afterQueries;
  }

  @Override
  public String toString() {
    return fault + " after " + afterQueries + " queries";
  }
}
