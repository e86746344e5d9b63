package dev.dnslab.recursor.upstream;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;

/** The {@link UpstreamPolicy} refused to let a query go to this address; nothing was sent. */
public final class UpstreamBlockedException extends Exception {
  private final transient UpstreamRefusal refusal;

  public UpstreamBlockedException(InetSocketAddress destination, UpstreamRefusal refusal) {
    super("upstream " + destination.getHostString() + ":" + destination.getPort()
        + " is " + requireNonNull(refusal, "refusal").reason() + ": not contacted", null, false, false);
    this.refusal = refusal;
  }

  /** Which rule of the {@link DoNotQueryList} refused the address. */
  public UpstreamRefusal refusal() {
    return refusal;
  }
}
