package dev.dnslab.core.lab;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP means "reload your zones", as it does for named and nsd. */
public final class HangupSignal {
  private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

  private HangupSignal() {}

  /** Runs {@code action} on every SIGHUP; where the JVM cannot trap it, logs why and carries on. */
  @SuppressWarnings("removal")
  public static void onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      log.info("SIGHUP reload unavailable here ({}); use POST /reload on the admin port", e.toString());
    }
  }
}
