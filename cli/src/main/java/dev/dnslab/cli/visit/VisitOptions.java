package dev.dnslab.cli.visit;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Where the lab is and how to walk it.
 *
 * @param router the router cache's DNS address (the client's configured DNS server)
 * @param routerAdmin the router's admin port ({@code /cache})
 * @param recursorAdmin the recursor's admin port ({@code /cache}, {@code /trace})
 * @param httpPort the port http:// URLs without a port use (80; tests run the web server elsewhere)
 * @param httpsPort the port https:// URLs without a port use (443)
 * @param https fetch with TLS, trusting the lab CA
 * @param noCache start cold: forget the browser and OS caches and flush the name from the router and recursor
 * @param capture capture the connection with tshark when possible
 * @param tshark the tshark command
 * @param captureInterface the interface to capture on (loopback)
 * @param stateDir where visit-state.json and the lab CA live
 * @param screenshot where to write a PNG of the page, or null
 * @param acceptLanguage the request's Accept-Language
 * @param clock wall clock for the browser and OS caches
 * @param recursorDns the recursor's DNS address, asked directly when no router answers its admin port
 */
public record VisitOptions(
    InetSocketAddress router,
    InetSocketAddress routerAdmin,
    InetSocketAddress recursorAdmin,
    int httpPort,
    int httpsPort,
    boolean https,
    boolean noCache,
    boolean capture,
    String tshark,
    String captureInterface,
    Path stateDir,
    Path screenshot,
    String acceptLanguage,
    Clock clock,
    InetSocketAddress recursorDns) {

  public VisitOptions {
    requireNonNull(router, "router");
    requireNonNull(stateDir, "stateDir");
    requireNonNull(clock, "clock");
    requireNonNull(tshark, "tshark");
    requireNonNull(captureInterface, "captureInterface");
    requireNonNull(acceptLanguage, "acceptLanguage");
  }

  /** The embedded lab's addresses: router 127.53.0.254, recursor 127.53.0.53, web 80/443. */
  public static VisitOptions embedded(Path stateDir) {
    return new VisitOptions(
        AddressPlan.EMBEDDED.dnsAddress(LabRole.ROUTER),
        AddressPlan.EMBEDDED.adminAddress(LabRole.ROUTER),
        AddressPlan.EMBEDDED.adminAddress(LabRole.RECURSOR),
        80, 443, false, false, true, "tshark", "lo", stateDir, null, "en-US,en;q=0.9,ko;q=0.8",
        Clock.systemUTC(), AddressPlan.EMBEDDED.dnsAddress(LabRole.RECURSOR));
  }

  public VisitOptions withRouter(InetSocketAddress dns, InetSocketAddress admin) {
    return new VisitOptions(dns, admin, recursorAdmin, httpPort, httpsPort, https, noCache, capture, tshark,
        captureInterface, stateDir, screenshot, acceptLanguage, clock, recursorDns);
  }

  public VisitOptions withRecursorDns(InetSocketAddress dns) {
    return new VisitOptions(router, routerAdmin, recursorAdmin, httpPort, httpsPort, https, noCache, capture, tshark,
        captureInterface, stateDir, screenshot, acceptLanguage, clock, dns);
  }

  public VisitOptions withRecursorAdmin(InetSocketAddress admin) {
    return new VisitOptions(router, routerAdmin, admin, httpPort, httpsPort, https, noCache, capture, tshark,
        captureInterface, stateDir, screenshot, acceptLanguage, clock, recursorDns);
  }

  public VisitOptions withPorts(int http, int httpsPortNumber) {
    return new VisitOptions(router, routerAdmin, recursorAdmin, http, httpsPortNumber, https, noCache, capture, tshark,
        captureInterface, stateDir, screenshot, acceptLanguage, clock, recursorDns);
  }

  public VisitOptions withHttps(boolean on) {
    return new VisitOptions(router, routerAdmin, recursorAdmin, httpPort, httpsPort, on, noCache, capture, tshark,
        captureInterface, stateDir, screenshot, acceptLanguage, clock, recursorDns);
  }

  public VisitOptions withNoCache(boolean on) {
    return new VisitOptions(router, routerAdmin, recursorAdmin, httpPort, httpsPort, https, on, capture, tshark,
        captureInterface, stateDir, screenshot, acceptLanguage, clock, recursorDns);
  }

  public VisitOptions withCapture(boolean on) {
    return new VisitOptions(router, routerAdmin, recursorAdmin, httpPort, httpsPort, https, noCache, on, tshark,
        captureInterface, stateDir, screenshot, acceptLanguage, clock, recursorDns);
  }

  public VisitOptions withScreenshot(Path file) {
    return new VisitOptions(router, routerAdmin, recursorAdmin, httpPort, httpsPort, https, noCache, capture, tshark,
        captureInterface, stateDir, file, acceptLanguage, clock, recursorDns);
  }

  public VisitOptions withAcceptLanguage(String value) {
    return new VisitOptions(router, routerAdmin, recursorAdmin, httpPort, httpsPort, https, noCache, capture, tshark,
        captureInterface, stateDir, screenshot, value, clock, recursorDns);
  }

  public VisitOptions withClock(Clock value) {
    return new VisitOptions(router, routerAdmin, recursorAdmin, httpPort, httpsPort, https, noCache, capture, tshark,
        captureInterface, stateDir, screenshot, acceptLanguage, value, recursorDns);
  }
}
