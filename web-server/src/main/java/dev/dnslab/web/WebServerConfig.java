package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a {@link WebServer} needs. Port 0 on any address means "any free port"; the bound
 * ports are then read back from the server.
 *
 * <pre>{@code
 * WebServerConfig config = WebServerConfig.onAddress(InetAddress.getByName("127.53.0.80"), sites, stateDir);
 * try (WebServer server = new WebServer(config).start()) { ... }
 * }</pre>
 *
 * @param http the plain HTTP/1.1 listener (port 80 in the lab)
 * @param https the TLS listener offering h2 and http/1.1 by ALPN (port 443 in the lab)
 * @param admin the admin listener with /metrics and /health (port 9153, like every lab server)
 * @param sites the folder holding one folder per site, named by host (www.google.com/...)
 * @param stateDir where the lab CA lives (shared with the recursor)
 * @param certificateAddresses IP addresses the default certificate also names, for clients that
 *     connect by address (https://127.53.0.80/) and so send no SNI
 * @param limits request size and time limits
 * @param threads event-loop threads serving connections
 * @param alsoListen more addresses served on the HTTP and HTTPS ports (the server's IPv6 address)
 */
public record WebServerConfig(
    InetSocketAddress http,
    InetSocketAddress https,
    InetSocketAddress admin,
    Path sites,
    Path stateDir,
    List<InetAddress> certificateAddresses,
    WebLimits limits,
    int threads,
    List<InetAddress> alsoListen) {

  public static final int DEFAULT_HTTP_PORT = 80;
  public static final int DEFAULT_HTTPS_PORT = 443;
  public static final int DEFAULT_ADMIN_PORT = 9153;

  /** One thread per core, like nginx's {@code worker_processes auto}. */
  public static final int DEFAULT_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

  public WebServerConfig {
    requireNonNull(http, "http");
    requireNonNull(https, "https");
    requireNonNull(admin, "admin");
    requireNonNull(sites, "sites");
    requireNonNull(stateDir, "stateDir");
    certificateAddresses = List.copyOf(requireNonNull(certificateAddresses, "certificateAddresses"));
    requireNonNull(limits, "limits");
    if (threads <= 0) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
    }
    alsoListen = List.copyOf(requireNonNull(alsoListen, "alsoListen"));
  }

  /** The lab's layout on one address: 80, 443 and 9153, default limits. */
  public static WebServerConfig onAddress(InetAddress address, Path sites, Path stateDir) {
    return onPorts(address, DEFAULT_HTTP_PORT, DEFAULT_HTTPS_PORT, DEFAULT_ADMIN_PORT, sites, stateDir);
  }

  /** One address, the given ports (0 picks a free one), default limits. */
  public static WebServerConfig onPorts(
      InetAddress address, int httpPort, int httpsPort, int adminPort, Path sites, Path stateDir) {
    requireNonNull(address, "address");
    return new WebServerConfig(
        new InetSocketAddress(address, httpPort),
        new InetSocketAddress(address, httpsPort),
        new InetSocketAddress(address, adminPort),
        sites,
        stateDir,
        address.isAnyLocalAddress() ? List.of() : List.of(address),
        WebLimits.DEFAULTS,
        DEFAULT_THREADS,
        List.of());
  }

  public WebServerConfig withLimits(WebLimits newLimits) {
    return new WebServerConfig(http, https, admin, sites, stateDir, certificateAddresses, newLimits, threads, alsoListen);
  }

  public WebServerConfig withThreads(int newThreads) {
    return new WebServerConfig(http, https, admin, sites, stateDir, certificateAddresses, limits, newThreads, alsoListen);
  }

  /**
   * Also serves HTTP and HTTPS on {@code addresses}, on the ports the main address got (a URL
   * names one port for all of a host's addresses); the default certificate names them too, for
   * clients that connect by address ({@code https://[fd00:53:53:127::80]/}).
   */
  public WebServerConfig withAlsoListen(List<InetAddress> addresses) {
    List<InetAddress> named = new java.util.ArrayList<>(certificateAddresses);
    named.addAll(addresses);
    return new WebServerConfig(http, https, admin, sites, stateDir, named, limits, threads, addresses);
  }
}
