package dev.dnslab.router;

import dev.dnslab.core.lab.ForegroundRun;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BindAdvice;
import dev.dnslab.core.lab.LabRole;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The router cache on its own: {@code router} serves 127.53.0.254:53 and forwards to the recursor
 * at 127.53.0.53:53; in compose, {@code router --address 172.28.53.254 --upstream 172.28.53.53}.
 */
@Command(
    name = "router",
    mixinStandardHelpOptions = true,
    description = "The home router's caching DNS forwarder (default 127.53.0.254:53, forwarding to 127.53.0.53:53).")
public final class RouterMain implements Callable<Integer> {
  /** Exit status for a bad option value (EX_USAGE). */
  static final int EXIT_USAGE = 64;
  /** Exit status when a socket cannot be bound (EX_UNAVAILABLE). */
  static final int EXIT_CANNOT_BIND = 69;

  @Option(names = "--address", description = "Address for DNS and admin (default: ${DEFAULT-VALUE}).")
  String address = AddressPlan.EMBEDDED.address(LabRole.ROUTER).getHostAddress();

  @Option(names = "--port", description = "DNS port, UDP and TCP (default: ${DEFAULT-VALUE}).")
  int port = AddressPlan.DEFAULT_DNS_PORT;

  @Option(names = "--admin-port", description = "Admin HTTP port: /metrics /health /cache /resolve (default: ${DEFAULT-VALUE}).")
  int adminPort = AddressPlan.DEFAULT_ADMIN_PORT;

  @Option(names = "--upstream", description = "The recursor's address (default: ${DEFAULT-VALUE}).")
  String upstream = AddressPlan.EMBEDDED.address(LabRole.RECURSOR).getHostAddress();

  @Option(names = "--upstream-port", description = "The recursor's DNS port (default: the --port value).")
  Integer upstreamPort;

  @Option(names = "--cache-size", description = "Most cache entries (default: ${DEFAULT-VALUE}).")
  int cacheSize = RouterConfig.DEFAULT_CACHE_MAX_ENTRIES;

  @Option(names = "--upstream-timeout-ms", description = "How long to wait for the recursor (default: ${DEFAULT-VALUE}).")
  long upstreamTimeoutMillis = RouterConfig.DEFAULT_UPSTREAM_TIMEOUT.toMillis();

  RouterConfig toConfig() throws UnknownHostException {
    InetAddress listen = InetAddress.getByName(address);
    return RouterConfig.builder()
        .listen(new InetSocketAddress(listen, port))
        .admin(new InetSocketAddress(listen, adminPort))
        .upstream(new InetSocketAddress(InetAddress.getByName(upstream), upstreamPort != null ? upstreamPort : port))
        .upstreamTimeout(Duration.ofMillis(upstreamTimeoutMillis))
        .cacheMaxEntries(cacheSize)
        .build();
  }

  @Override
  public Integer call() {
    RouterConfig config;
    try {
      config = toConfig();
    } catch (UnknownHostException | IllegalArgumentException e) {
      System.err.println("router: " + e.getMessage());
      return EXIT_USAGE;
    }
    RouterServer server = new RouterServer(config);
    try {
      server.start();
    } catch (BindException e) {
      System.err.println("router: " + BindAdvice.explain(e));
      return EXIT_CANNOT_BIND;
    }
    return ForegroundRun.untilShutdown(server);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RouterMain()).execute(args));
  }
}
