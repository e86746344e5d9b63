package dev.dnslab.testing;

import java.util.Arrays;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * What happens when a test needs something this machine lacks. On a developer's laptop the test is
 * skipped with a message that names what to install, and {@link SkipReport} lists it at the end of
 * the run; with {@code -Ddnslab.requireTools=true} (which CI sets) it fails instead, so CI never
 * passes by skipping.
 */
public final class RequiredTools {
  /** The system property that turns every missing tool into a failure. */
  public static final String REQUIRE_PROPERTY = "dnslab.requireTools";

  /** Starts every skip message, so that reports and logs can tell a missing tool from other skips. */
  public static final String SKIP_PREFIX = "missing tool: ";

  private RequiredTools() {}

  /** Requires every one of {@code tools}; see {@link Tool#require()}. */
  public static void require(Tool... tools) {
    Arrays.stream(tools).forEach(Tool::require);
  }

  /**
   * For what no {@link Tool} names (an image built by a script, a folder a test overlays): skips or
   * fails like a missing tool unless {@code present}.
   *
   * @param missing what is missing and how to get it, e.g. {@code "dnslab/lab:dev is not built
   *     (scripts/build-images.sh)"}
   */
  public static void require(boolean present, String missing) {
    if (!present) {
      missing(missing);
    }
  }

  /** Whether a missing tool fails the test rather than skipping it. */
  public static boolean toolsRequired() {
    return Boolean.getBoolean(REQUIRE_PROPERTY);
  }

  static void missing(String reason) {
    if (toolsRequired()) {
      throw new AssertionFailedError(reason + " (-D" + REQUIRE_PROPERTY + "=true: a missing tool fails the build)");
    }
    throw new TestAbortedException(SKIP_PREFIX + reason);
  }
}
