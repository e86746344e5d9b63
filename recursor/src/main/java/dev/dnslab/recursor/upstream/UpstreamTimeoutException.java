package dev.dnslab.recursor.upstream;

import java.net.InetSocketAddress;
import java.time.Duration;

/** No acceptable reply from an upstream server before the per-query timeout. */
public final class UpstreamTimeoutException extends Exception {
  public UpstreamTimeoutException(InetSocketAddress server, Duration timeout) {
    super("no reply from " + server.getAddress().getHostAddress() + ":" + server.getPort()
        + " within " + timeout.toMillis() + "ms", null, false, false);
  }
}
