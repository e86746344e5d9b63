package dev.dnslab.recursor.upstream;

import java.net.InetSocketAddress;

/** The {@link UpstreamPolicy} refused to let a query go to this address; nothing was sent. */
public final class UpstreamBlockedException extends Exception {
  public UpstreamBlockedException(InetSocketAddress destination) {
    super("upstream " + destination.getAddress().getHostAddress() + ":" + destination.getPort()
        + " is outside the upstream allow-list: not contacted", null, false, false);
  }
}
