package dev.dnslab.recursor.upstream;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.recursor.RecursorMetrics;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The one place that decides whether the recursor may send a packet to an address, asked before
 * every upstream send (like Unbound's {@code iter_donotq.c}, but an allow-list). Whatever a zone
 * says, a query never leaves for an address outside {@link #allowed()}: a referral to 8.8.8.8 in a
 * learner's zone file must not make the lab talk to the Internet.
 */
public final class UpstreamPolicy {
  private final List<Cidr> allowed;
  private final RecursorMetrics metrics;

  public UpstreamPolicy(List<Cidr> allowed, RecursorMetrics metrics) {
    this.allowed = List.copyOf(requireNonNull(allowed, "allowed"));
    this.metrics = requireNonNull(metrics, "metrics");
  }

  public List<Cidr> allowed() {
    return allowed;
  }

  /** Whether a query may go to {@code destination}; every refusal is counted. */
  public boolean permits(InetSocketAddress destination) {
    requireNonNull(destination, "destination");
    boolean ok =
        !destination.isUnresolved()
            && destination.getPort() > 0
            && Cidr.anyContains(allowed, destination.getAddress());
    if (!ok) {
      metrics.upstreamBlocked();
    }
    return ok;
  }
}
