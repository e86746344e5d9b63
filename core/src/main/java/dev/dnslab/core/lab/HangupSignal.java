package dev.dnslab.core.lab;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP means "reload your zones", as it does for named and nsd. */
public final class HangupSignal {
  private static final Logger log = LoggerFactory.getLogger(HangupSignal.class);

  private HangupSignal() {}

  /**
   * Runs {@code action} on every SIGHUP; where the JVM cannot trap it, logs why and carries on.
   *
   * <p>A process started with SIGHUP ignored ({@code nohup}, or a parent that ignores it: the
   * disposition survives exec, POSIX exec(3)) keeps ignoring it: HotSpot declines to install a
   * handler over an inherited SIG_IGN for its shutdown signals (HUP, INT, TERM) and reports the
   * ignored disposition back instead of an error. nsd and named install theirs regardless; a JVM
   * cannot, so the server says so once, loudly, instead of dropping every reload in silence.
   *
   * @return whether a SIGHUP now runs {@code action}
   */
  @SuppressWarnings("removal")
  public static boolean onHangup(Runnable action) {
    sun.misc.SignalHandler previous;
    try {
      previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      log.info("SIGHUP reload unavailable here ({}); use POST /reload on the admin port", e.toString());
      return false;
    }
    if (previous == sun.misc.SignalHandler.SIG_IGN) {
      log.warn("SIGHUP will not reload: this process was started with SIGHUP ignored (nohup?), and a JVM cannot"
          + " trap an ignored signal; use POST /reload on the admin port, or start it without nohup");
      return false;
    }
    return true;
  }
}
