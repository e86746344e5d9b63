package dev.dnslab.junit.matrix;

import dev.dnslab.junit.Lab;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.UnboundDaemon;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Debian's Unbound, iterating from the lab's root hints, configured by {@link UnboundDaemon}: on
 * loopback only, no forward-zone, and either no trust anchor or the lab's (validating).
 */
final class Unbound extends DaemonResolver {
  Unbound(boolean validating) {
    super(validating);
  }

  @Override
  public String name() {
    return "unbound";
  }

  @Override
  DaemonProcess startDaemon(Lab lab, Path dir, InetSocketAddress address) throws Exception {
    return UnboundDaemon.start(dir, address, lab.rootHints(), validating() ? lab.trustAnchorFile() : null);
  }
}
