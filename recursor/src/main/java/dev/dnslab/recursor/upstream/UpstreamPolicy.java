package dev.dnslab.recursor.upstream;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.recursor.RecursorMetrics;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;

/**
 * The one place that decides whether the recursor may send a packet to an address, asked before
 * every upstream send. Its rules are the {@link DoNotQueryList}: whatever a zone says, a query never
 * leaves for an address outside {@link #allowed()} (a referral to 8.8.8.8 in a learner's zone file
 * must not make the lab talk to the Internet), nor for loopback or the recursor's own address unless
 * the allow-list names them.
 */
public final class UpstreamPolicy {
  private final DoNotQueryList doNotQuery;
  private final RecursorMetrics metrics;

  public UpstreamPolicy(List<Cidr> allowed, RecursorMetrics metrics) {
    this.doNotQuery = new DoNotQueryList(allowed);
    this.metrics = requireNonNull(metrics, "metrics");
  }

  public List<Cidr> allowed() {
    return doNotQuery.allowed();
  }

  /** Where the recursor listens, so that no referral makes it ask itself. */
  public void listeningOn(Collection<InetSocketAddress> addresses) {
    doNotQuery.listeningOn(addresses);
  }

  /** Whether a query may go to {@code destination}; every refusal is counted. */
  public boolean permits(InetSocketAddress destination) {
    return refusal(destination) == null;
  }

  /** Why a query may not go to {@code destination} (counted), or null when it may. */
  public UpstreamRefusal refusal(InetSocketAddress destination) {
    UpstreamRefusal refusal = doNotQuery.refusal(destination);
    if (refusal != null) {
      metrics.upstreamBlocked();
    }
    return refusal;
  }
}
