package dev.dnslab.cli.visit;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Where the lab is and how to walk it. Build it with {@link #builder(Path)}; the defaults are the
 * embedded lab's addresses (router 127.53.0.254, recursor 127.53.0.53, web 80/443), and each
 * setter checks its value.
 *
 * <pre>{@code
 * VisitOptions options = VisitOptions.builder(stateDir)
 *     .noCache(true)
 *     .capture(false)
 *     .build();
 * VisitReport report = new Visit(options).run("http://www.google.com/");
 * }</pre>
 */
public final class VisitOptions {
  /** RFC 9110 4.2.1: an http URL without a port means 80. */
  public static final int DEFAULT_HTTP_PORT = 80;

  /** RFC 9110 4.2.2: an https URL without a port means 443. */
  public static final int DEFAULT_HTTPS_PORT = 443;

  /** Found on the PATH, as a learner installs it (apt install tshark). */
  public static final String DEFAULT_TSHARK = "tshark";

  /** The embedded lab lives on loopback (127.53.0.x), so its packets cross {@code lo}. */
  public static final String DEFAULT_CAPTURE_INTERFACE = "lo";

  /** An English-first browser that also reads Korean, as the lab's sites offer both. */
  public static final String DEFAULT_ACCEPT_LANGUAGE = "en-US,en;q=0.9,ko;q=0.8";

  private final InetSocketAddress router;
  private final InetSocketAddress routerAdmin;
  private final InetSocketAddress recursorAdmin;
  private final int httpPort;
  private final int httpsPort;
  private final boolean https;
  private final boolean noCache;
  private final boolean capture;
  private final String tshark;
  private final String captureInterface;
  private final Path stateDir;
  private final Path screenshot;
  private final String acceptLanguage;
  private final Clock clock;
  private final InetSocketAddress recursorDns;

  private VisitOptions(Builder builder) {
    router = builder.router;
    routerAdmin = builder.routerAdmin;
    recursorAdmin = builder.recursorAdmin;
    httpPort = builder.httpPort;
    httpsPort = builder.httpsPort;
    https = builder.https;
    noCache = builder.noCache;
    capture = builder.capture;
    tshark = builder.tshark;
    captureInterface = builder.captureInterface;
    stateDir = builder.stateDir;
    screenshot = builder.screenshot;
    acceptLanguage = builder.acceptLanguage;
    clock = builder.clock;
    recursorDns = builder.recursorDns;
  }

  /** A builder with the embedded lab's addresses; {@code stateDir} holds visit-state.json and the lab CA. */
  public static Builder builder(Path stateDir) {
    return new Builder(stateDir);
  }

  /** The router cache's DNS address (the client's configured DNS server). */
  public InetSocketAddress router() {
    return router;
  }

  /** The router's admin port ({@code /cache}), or null when there is none to ask. */
  public InetSocketAddress routerAdmin() {
    return routerAdmin;
  }

  /** The recursor's admin port ({@code /cache}, {@code /trace}), or null when there is none to ask. */
  public InetSocketAddress recursorAdmin() {
    return recursorAdmin;
  }

  /** The port http:// URLs without a port use. */
  public int httpPort() {
    return httpPort;
  }

  /** The port https:// URLs without a port use. */
  public int httpsPort() {
    return httpsPort;
  }

  /** Fetch with TLS, trusting the lab CA. */
  public boolean https() {
    return https;
  }

  /** Start cold: forget the browser and OS caches and flush the name from the router and recursor. */
  public boolean noCache() {
    return noCache;
  }

  /** Capture the connection with tshark when possible. */
  public boolean capture() {
    return capture;
  }

  /** The tshark command. */
  public String tshark() {
    return tshark;
  }

  /** The interface to capture on. */
  public String captureInterface() {
    return captureInterface;
  }

  /** Where visit-state.json and the lab CA live. */
  public Path stateDir() {
    return stateDir;
  }

  /** Where to write a PNG of the page, or null for none. */
  public Path screenshot() {
    return screenshot;
  }

  /** The request's Accept-Language. */
  public String acceptLanguage() {
    return acceptLanguage;
  }

  /** Wall clock for the browser and OS caches. */
  public Clock clock() {
    return clock;
  }

  /** The recursor's DNS address, asked directly when no router answers its admin port; or null. */
  public InetSocketAddress recursorDns() {
    return recursorDns;
  }

  /** Builds {@link VisitOptions}. */
  public static final class Builder {
    private final Path stateDir;
    private InetSocketAddress router = AddressPlan.EMBEDDED.dnsAddress(LabRole.ROUTER);
    private InetSocketAddress routerAdmin = AddressPlan.EMBEDDED.adminAddress(LabRole.ROUTER);
    private InetSocketAddress recursorAdmin = AddressPlan.EMBEDDED.adminAddress(LabRole.RECURSOR);
    private InetSocketAddress recursorDns = AddressPlan.EMBEDDED.dnsAddress(LabRole.RECURSOR);
    private int httpPort = DEFAULT_HTTP_PORT;
    private int httpsPort = DEFAULT_HTTPS_PORT;
    private boolean https;
    private boolean noCache;
    private boolean capture = true;
    private String tshark = DEFAULT_TSHARK;
    private String captureInterface = DEFAULT_CAPTURE_INTERFACE;
    private Path screenshot;
    private String acceptLanguage = DEFAULT_ACCEPT_LANGUAGE;
    private Clock clock = Clock.systemUTC();

    private Builder(Path stateDir) {
      this.stateDir = requireNonNull(stateDir, "stateDir");
    }

    /** The router cache: its DNS address and its admin port (null: none to ask). */
    public Builder router(InetSocketAddress dns, InetSocketAddress admin) {
      this.router = requireNonNull(dns, "dns");
      this.routerAdmin = admin;
      return this;
    }

    /** The recursor's admin port (null: none to ask). */
    public Builder recursorAdmin(InetSocketAddress admin) {
      this.recursorAdmin = admin;
      return this;
    }

    /** The recursor's DNS address, asked directly when no router answers (null: none). */
    public Builder recursorDns(InetSocketAddress dns) {
      this.recursorDns = dns;
      return this;
    }

    /** The ports http:// and https:// URLs without a port use; tests run the web server elsewhere. */
    public Builder ports(int http, int https) {
      this.httpPort = checkPort("httpPort", http);
      this.httpsPort = checkPort("httpsPort", https);
      return this;
    }

    public Builder https(boolean on) {
      this.https = on;
      return this;
    }

    public Builder noCache(boolean on) {
      this.noCache = on;
      return this;
    }

    public Builder capture(boolean on) {
      this.capture = on;
      return this;
    }

    public Builder tshark(String command) {
      this.tshark = requireNonBlank(command, "tshark");
      return this;
    }

    public Builder captureInterface(String name) {
      this.captureInterface = requireNonBlank(name, "captureInterface");
      return this;
    }

    /** Where to write a PNG of the page (null: none). */
    public Builder screenshot(Path file) {
      this.screenshot = file;
      return this;
    }

    public Builder acceptLanguage(String value) {
      this.acceptLanguage = requireNonBlank(value, "acceptLanguage");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public VisitOptions build() {
      return new VisitOptions(this);
    }

    /** A URL's port: 0 cannot be connected to, so the range starts at 1. */
    private static int checkPort(String name, int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(name + ": " + port + " (expected: 1..65535)");
      }
      return port;
    }

    private static String requireNonBlank(String value, String name) {
      requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + ": \"" + value + "\" (expected: not blank)");
      }
      return value;
    }
  }
}
