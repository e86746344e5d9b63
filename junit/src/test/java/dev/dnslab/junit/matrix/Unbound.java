package dev.dnslab.junit.matrix;

import dev.dnslab.junit.Lab;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.UnboundDaemon;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Debian's Unbound, iterating from the lab's root hints, configured by {@link UnboundDaemon}: on
 * loopback only, no forward-zone, no trust anchor.
 */
final class Unbound implements ResolverUnderTest {
  private InetSocketAddress address;
  private DaemonProcess process;

  @Override
  public String name() {
    return "unbound";
  }

  @Override
  public void start(Lab lab, Path dir) throws Exception {
    // A host of the lab's random /24 that no lab server uses, on port 53: nobody else's.
    address = new InetSocketAddress(lab.address(RESOLVER_HOST), 53);
    process = UnboundDaemon.start(dir, address, lab.rootHints());
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public String log() {
    return process == null ? "" : process.log();
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
