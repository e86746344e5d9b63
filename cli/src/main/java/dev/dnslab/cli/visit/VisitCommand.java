package dev.dnslab.cli.visit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dnslab.core.tls.LabCertificateAuthority;
import java.io.Console;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dnslab visit URL}: type a URL, press Enter, and see every step happen in the lab.
 *
 * <pre>
 * dnslab visit http://www.google.com/            # cold: four misses, root -> TLD -> authoritative
 * dnslab visit http://www.google.com/            # again: the browser cache hit
 * dnslab visit --lang ko --no-cache www.naver.com
 * dnslab visit --json www.google.com | jq .lookup.walk
 * </pre>
 */
@Command(
    name = "visit",
    mixinStandardHelpOptions = true,
    description = "Visit a lab URL and show every step: the four DNS caches, the recursor's walk, "
        + "the TCP handshake, the HTTP messages, rendering and the close.")
public final class VisitCommand implements Callable<Integer> {
  /** Exit status when the lab cannot be reached (EX_UNAVAILABLE). */
  static final int EXIT_UNAVAILABLE = 69;

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL", description = "e.g. http://www.google.com/ (the scheme may be left out)")
  private String url;

  @Option(names = "--json", description = "Print the steps as a JSON document (see docs/visit.md).")
  private boolean json;

  @Option(names = "--lang", defaultValue = "en", description = "en or ko (the articles' Korean terms). Default: ${DEFAULT-VALUE}.")
  private String lang;

  @Option(names = "--ascii", description = "Draw DNSSEC verdicts as [secure], [insecure], [BOGUS] instead of lock glyphs "
      + "(the default on a terminal whose charset has no such glyphs).")
  private boolean ascii;

  @Option(names = "--no-cache", description = "Start cold: empty the browser and OS caches and flush the name from the router and recursor.")
  private boolean noCache;

  @Option(names = "--https", description = "Fetch over TLS, trusting the lab CA.")
  private boolean https;

  @Option(names = "--screenshot", paramLabel = "FILE", description = "Also save a PNG of the page made by headless Chromium.")
  private Path screenshot;

  @Option(names = "--no-capture", description = "Do not capture the packets with tshark; show the connect time only.")
  private boolean noCapture;

  @Option(names = "--router", defaultValue = "127.53.0.254:53", description = "The router cache's DNS address. Default: ${DEFAULT-VALUE}.")
  private String router;

  @Option(names = "--router-admin", defaultValue = "127.53.0.254:9153", description = "The router's admin address. Default: ${DEFAULT-VALUE}.")
  private String routerAdmin;

  @Option(names = "--recursor", defaultValue = "127.53.0.53:53", description = "The recursor's DNS address, asked directly when no router answers. Default: ${DEFAULT-VALUE}.")
  private String recursor;

  @Option(names = "--recursor-admin", defaultValue = "127.53.0.53:9153", description = "The recursor's admin address (/cache, /trace). Default: ${DEFAULT-VALUE}.")
  private String recursorAdmin;

  @Option(names = "--http-port", defaultValue = "80", description = "Port for http:// URLs without one. Default: ${DEFAULT-VALUE}.")
  private int httpPort;

  @Option(names = "--https-port", defaultValue = "443", description = "Port for https:// URLs without one. Default: ${DEFAULT-VALUE}.")
  private int httpsPort;

  @Option(names = "--state-dir", description = "Where visit-state.json (browser and OS caches) and the lab CA live. Default: $DNSLAB_STATE_DIR or ~/.dnslab.")
  private Path stateDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    VisitOptions options = VisitOptions.builder(stateDir != null ? stateDir : LabCertificateAuthority.defaultStateDir())
        .router(address(router), address(routerAdmin))
        .recursorAdmin(address(recursorAdmin))
        .recursorDns(address(recursor))
        .ports(httpPort, httpsPort)
        .https(https)
        .noCache(noCache)
        .capture(!noCapture)
        .screenshot(screenshot)
        .acceptLanguage(Vocabulary.of(lang) == Vocabulary.KO ? "ko-KR,ko;q=0.9,en;q=0.8" : VisitOptions.DEFAULT_ACCEPT_LANGUAGE)
        .build();
    VisitReport report;
    try {
      report = new Visit(options).run(url);
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("visit: " + e.getMessage()
          + " (is the lab up? ./dnslab up; or point --router/--recursor at it)");
      return EXIT_UNAVAILABLE;
    }
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    } else {
      Console console = System.console();
      LockGlyphs locks = ascii ? LockGlyphs.ASCII : LockGlyphs.forConsole(console == null ? null : console.charset());
      out.print(VisitPrinter.print(report, lang, options.captureInterface(), locks));
    }
    out.flush();
    return report.exchange() != null && report.exchange().response().statusCode() < 400 ? 0 : 1;
  }

  static InetSocketAddress address(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("address: " + text + " (expected: HOST:PORT)");
    }
    String host = text.substring(0, colon).replace("[", "").replace("]", "");
    return new InetSocketAddress(host, Integer.parseInt(text.substring(colon + 1)));
  }
}
