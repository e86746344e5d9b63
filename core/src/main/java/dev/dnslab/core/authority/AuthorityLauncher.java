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
    try {
      server.start();
    } catch (ZoneLoadException e) {
      err.println(config.role() + ": refusing to start: " + e.getMessage());
      return EXIT_BAD_ZONE;
    } catch (BindException e) {
      err.println(config.role() + ": " + BindAdvice.explain(e));
      return EXIT_CANNOT_BIND;
    }
    HangupSignal.onHangup(server::reloadOrKeepServing);
    return ForegroundRun.untilShutdown(server);
  }
}
