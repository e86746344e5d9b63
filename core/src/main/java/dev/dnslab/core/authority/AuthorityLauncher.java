package dev.dnslab.core.authority;

import dev.dnslab.core.dnssec.DnssecPolicyException;
import dev.dnslab.core.lab.ForegroundRun;
import dev.dnslab.core.lab.BindAdvice;
import dev.dnslab.core.lab.HangupSignal;
import dev.dnslab.core.zone.ZoneLoadException;
import java.io.PrintStream;
import java.net.BindException;

/** Runs one authority server in the foreground until the JVM is asked to stop. */
public final class AuthorityLauncher {
  /** Exit status when a zone file is bad (EX_DATAERR in sysexits.h). */
  public static final int EXIT_BAD_ZONE = 65;

  /** Exit status when a socket cannot be bound (EX_UNAVAILABLE in sysexits.h). */
  public static final int EXIT_CANNOT_BIND = 69;

  private AuthorityLauncher() {}

  public static int run(AuthorityOptions options, PrintStream err) {
    AuthorityConfig config;
    try {
      config = options.toConfig();
    } catch (DnssecPolicyException e) {
      err.println(options.role().serviceName() + ": refusing to start: " + e.getMessage());
      return EXIT_BAD_ZONE;
    }
    AuthorityServer server = new AuthorityServer(config);
    // Before start, not after: a client may see the first answer and send SIGHUP at once, and the
    // JVM's default action for an unhandled SIGHUP is to exit. A reload before the first load
    // completes waits for it (AuthorityZones.reload is synchronized).
    HangupSignal.onHangup(server::reloadOrKeepServing);
    try {
      server.start();
    } catch (ZoneLoadException e) {
      err.println(config.role() + ": refusing to start: " + e.getMessage());
      return EXIT_BAD_ZONE;
    } catch (BindException e) {
      err.println(config.role() + ": " + BindAdvice.explain(e));
      return EXIT_CANNOT_BIND;
    }
    return ForegroundRun.untilShutdown(server);
  }
}
