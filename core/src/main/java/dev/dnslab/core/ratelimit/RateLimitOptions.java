package dev.dnslab.core.ratelimit;

import dev.dnslab.core.net.Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The response rate limiting options of root-ns, tld-ns, authoritative-ns and {@code dnslab up} (a
 * picocli mixin). Off unless {@code --rrl} is given: a teaching lab answers everyone.
 */
public final class RateLimitOptions {
  @Option(
      names = "--rrl",
      description = "Limit UDP responses per client /24 (IPv4) or /56 (IPv6) and answer, as NSD and Knot do"
          + " (default: off). TCP and clients with a valid DNS cookie are never limited.")
  boolean enabled;

  @Option(
      names = "--rrl-responses-per-second",
      paramLabel = "N",
      description = "With --rrl: responses per second per network and answer (default: ${DEFAULT-VALUE}).")
  int responsesPerSecond = ResponseRateLimit.DEFAULT_RESPONSES_PER_SECOND;

  @Option(
      names = "--rrl-slip",
      paramLabel = "N",
      description = "With --rrl: send every Nth limited response truncated (TC) so real clients retry over TCP;"
          + " 0 drops them all, 1 truncates them all (default: ${DEFAULT-VALUE}).")
  int slip = ResponseRateLimit.DEFAULT_SLIP;

  @Option(
      names = "--rrl-window",
      paramLabel = "SECONDS",
      description = "With --rrl: seconds of responses a quiet client may save up and send at once"
          + " (default: ${DEFAULT-VALUE}).")
  int windowSeconds = (int) ResponseRateLimit.DEFAULT_WINDOW.toSeconds();

  @Option(
      names = "--rrl-exempt",
      paramLabel = "CIDR",
      split = ",",
      description = "With --rrl: networks never limited, e.g. 127.0.0.0/8 (default: none).")
  List<String> exempt = new ArrayList<>();

  /** The settings asked for, or empty without {@code --rrl}; a bad value throws with its option name. */
  public Optional<ResponseRateLimit> settings() {
    if (!enabled) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ResponseRateLimit(responsesPerSecond, slip, Duration.ofSeconds(windowSeconds),
          Cidr.parseAll(exempt)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--rrl: " + e.getMessage(), e);
    }
  }
}
