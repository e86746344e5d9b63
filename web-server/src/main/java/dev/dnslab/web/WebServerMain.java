package dev.dnslab.web;

import dev.dnslab.core.lab.ForegroundRun;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BindAdvice;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.tls.LabCertificateAuthority;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code web-server}: runs the lab's web server in the foreground until the JVM is stopped. */
@Command(
    name = "web-server",
    mixinStandardHelpOptions = true,
    description = "The lab's web server (default 127.53.0.80: HTTP 80, HTTPS 443, admin 9153).")
public final class WebServerMain implements Callable<Integer> {
  /** Exit status when a socket cannot be bound (EX_UNAVAILABLE in sysexits.h), as for the name servers. */
  static final int EXIT_CANNOT_BIND = 69;

  /** Exit status when the sites folder is unusable (EX_DATAERR). */
  static final int EXIT_BAD_SITES = 65;

  @Option(names = "--address", description = "Address to listen on (default: the lab's web address, 127.53.0.80).")
  String address;

  @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE}). 0 picks a free port.")
  int port = WebServerConfig.DEFAULT_HTTP_PORT;

  @Option(names = "--https-port", description = "HTTPS port, h2 and http/1.1 (default: ${DEFAULT-VALUE}).")
  int httpsPort = WebServerConfig.DEFAULT_HTTPS_PORT;

  @Option(names = "--admin-port", description = "Admin HTTP port with /metrics and /health (default: ${DEFAULT-VALUE}).")
  int adminPort = WebServerConfig.DEFAULT_ADMIN_PORT;

  @Option(names = "--sites", paramLabel = "DIR", description = "Folder with one folder per site (default: ./sites or the bundled copy).")
  Path sites;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the lab CA lives (default: $DNSLAB_STATE_DIR or ~/.dnslab).")
  Path stateDir;

  @Option(
      names = "--lab-network",
      description = "The /24 the lab lives in (default: ${DEFAULT-VALUE}); the server takes host .80 of it.")
  String labNetwork = AddressPlan.ZONE_FILE_NETWORK.toString();

  @Option(names = "--threads", description = "Event-loop threads (default: one per core).")
  int threads = WebServerConfig.DEFAULT_THREADS;

  WebServerConfig toConfig() {
    InetAddress listen =
        address == null
            ? AddressPlan.EMBEDDED.withNetwork(Cidr.parse(labNetwork)).address(LabRole.WEB)
            : literal(address);
    return WebServerConfig.onPorts(
            listen,
            port,
            httpsPort,
            adminPort,
            sites == null ? BundledSites.locate() : sites,
            stateDir == null ? LabCertificateAuthority.defaultStateDir() : stateDir)
        .withThreads(threads);
  }

  private static InetAddress literal(String text) {
    try {
      return InetAddress.getByName(Cidr.parse(text).network().getHostAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--address: " + text, e);
    }
  }

  @Override
  public Integer call() {
    WebServer server;
    try {
      server = new WebServer(toConfig()).start();
    } catch (BindException e) {
      System.err.println("web-server: " + BindAdvice.explain(e));
      return EXIT_CANNOT_BIND;
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("web-server: refusing to start: " + e.getMessage());
      return EXIT_BAD_SITES;
    }
    return ForegroundRun.untilShutdown(server);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new WebServerMain()).execute(args));
  }
}
