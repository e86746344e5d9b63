package dev.dnslab.recursor.upstream;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;

/**
 * The addresses the recursor never sends a query to, whatever a zone or its glue says (after
 * Unbound's {@code iter_donotq.c}): its own listening addresses, loopback, and everything outside
 * the upstream allow-list. The lab itself lives on loopback (127.53.0.0/24), so loopback and even
 * the recursor's own address are allowed exactly when the allow-list names them: loopback when an
 * entry contains it, the recursor's own address only when an entry is that single address (a /32
 * or /128), since a wider lab network always contains the recursor's own address too.
 */
public final class DoNotQueryList {
  private final List<Cidr> allowed;
  private volatile List<InetSocketAddress> ownAddresses = List.of();

  public DoNotQueryList(List<Cidr> allowed) {
    this.allowed = List.copyOf(requireNonNull(allowed, "allowed"));
  }

  public List<Cidr> allowed() {
    return allowed;
  }

  /** Records where the recursor listens (once bound, so port 0 has become the real port). */
  public void listeningOn(Collection<InetSocketAddress> addresses) {
    this.ownAddresses = List.copyOf(requireNonNull(addresses, "addresses"));
  }

  /** Why {@code destination} must not be queried, or null when it may be. */
  public UpstreamRefusal refusal(InetSocketAddress destination) {
    requireNonNull(destination, "destination");
    if (destination.isUnresolved() || destination.getPort() <= 0) {
      return UpstreamRefusal.NOT_AN_ADDRESS;
    }
    InetAddress address = destination.getAddress();
    if (isOwn(destination) && !namedExactly(address)) {
      return UpstreamRefusal.OWN_ADDRESS;
    }
    if (!Cidr.anyContains(allowed, address)) {
      return Cidr.anyContains(Cidr.LOOPBACK, address) ? UpstreamRefusal.LOOPBACK : UpstreamRefusal.OUTSIDE_ALLOW_LIST;
    }
    return null;
  }

  private boolean isOwn(InetSocketAddress destination) {
    for (InetSocketAddress own : ownAddresses) {
      if (own.getPort() != destination.getPort()) {
        continue;
      }
      InetAddress listening = own.getAddress();
      // A wildcard listener (0.0.0.0, ::) answers on every local address; loopback is the one
      // a zone can point at here.
      if (listening.equals(destination.getAddress())
          || listening.isAnyLocalAddress() && destination.getAddress().isLoopbackAddress()) {
        return true;
      }
    }
    return false;
  }

  private boolean namedExactly(InetAddress address) {
    int hostBits = address.getAddress().length * 8;
    for (Cidr range : allowed) {
      if (range.prefixLength() == hostBits && range.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
