package dev.dnslab.core.probe;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A container health check that proves a role works, not just that a port is open: it sends one
 * real DNS query ({@link DnsProbe}) or one real HTTP request ({@link HttpProbe}) and exits 0 when
 * the answer is what the role should give, 1 otherwise. Docker runs it inside the container:
 *
 * <pre>
 *   java -cp dnslab.jar dev.dnslab.core.probe.HealthProbe dns --name www.google.com --expect referral
 *   java -cp dnslab.jar dev.dnslab.core.probe.HealthProbe http --url http://127.0.0.1:9153/health
 * </pre>
 *
 * <p>It prints one line saying what it saw; {@code docker inspect} keeps the last few.
 */
@Command(
    name = "health-probe",
    mixinStandardHelpOptions = true,
    description = "Sends one DNS query or HTTP request and exits 0 if the answer proves the role works.",
    subcommands = {DnsProbe.class, HttpProbe.class})
public final class HealthProbe implements Callable<Integer> {
  /** Exit status for a healthy answer (Docker: healthy). */
  public static final int HEALTHY = 0;

  /** Exit status for anything else (Docker: unhealthy; 2 is reserved by Docker). */
  public static final int UNHEALTHY = 1;

  @Override
  public Integer call() {
    System.err.println("health-probe: give a probe: dns or http (see --help)");
    return UNHEALTHY;
  }

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new HealthProbe()).setCaseInsensitiveEnumValuesAllowed(true);
    // A usage error must not read as "healthy" (0) nor as Docker's reserved 2.
    cli.setExitCodeExceptionMapper(e -> UNHEALTHY);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          cli.getErr().println("health-probe: " + e.getMessage());
          return UNHEALTHY;
        });
    System.exit(cli.execute(args));
  }
}
