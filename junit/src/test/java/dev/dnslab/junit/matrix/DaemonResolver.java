package dev.dnslab.junit.matrix;

import dev.dnslab.junit.Lab;
import dev.dnslab.testing.DaemonProcess;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** A resolver of the matrix that runs as a daemon: where it listens, its log, and stopping it. */
abstract class DaemonResolver implements ResolverUnderTest {
  private final boolean validating;
  private InetSocketAddress address;
  private DaemonProcess process;

  /**
   * @param validating whether it validates (RFC 4035 5) from the lab's trust anchor ({@link
   *     Lab#trustAnchorConfig}); otherwise DNSSEC validation is off
   */
  DaemonResolver(boolean validating) {
    this.validating = validating;
  }

  /** Whether this one validates from the lab's trust anchor. */
  final boolean validating() {
    return validating;
  }

  /** Writes the daemon's config into {@code dir} and starts it listening on {@code address}. */
  abstract DaemonProcess startDaemon(Lab lab, Path dir, InetSocketAddress address) throws Exception;

  /** Where it listens: a host of the lab's /24 that no lab server uses, on port 53 (BIND differs). */
  InetSocketAddress listenAddress(Lab lab) {
    return new InetSocketAddress(lab.address(RESOLVER_HOST), 53);
  }

  @Override
  public final void start(Lab lab, Path dir) throws Exception {
    address = listenAddress(lab);
    process = startDaemon(lab, dir, address);
    process.awaitAnswering(address, DaemonProcess.STARTUP);
  }

  @Override
  public final InetSocketAddress address() {
    return address;
  }

  @Override
  public final String log() {
    return process == null ? "" : process.log();
  }

  @Override
  public final void close() {
    if (process != null) {
      process.close();
    }
  }
}
