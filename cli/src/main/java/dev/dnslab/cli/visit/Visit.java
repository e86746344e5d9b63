package dev.dnslab.cli.visit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.recursor.trace.TraceDnssec;
import dev.dnslab.cli.visit.VisitReport.CacheCheck;
import dev.dnslab.cli.visit.VisitReport.CacheName;
import dev.dnslab.cli.visit.VisitReport.Closing;
import dev.dnslab.cli.visit.VisitReport.Connection;
import dev.dnslab.cli.visit.VisitReport.Exchange;
import dev.dnslab.cli.visit.VisitReport.HttpMessage;
import dev.dnslab.cli.visit.VisitReport.Lookup;
import dev.dnslab.cli.visit.VisitReport.Packet;
import dev.dnslab.cli.visit.VisitReport.Rendering;
import dev.dnslab.cli.visit.VisitReport.Walk;
import dev.dnslab.cli.visit.VisitReport.WalkStep;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The learner's walk: everything that happens between typing a URL and seeing the page, done for
 * real against the lab and written down step by step in the order of the articles it follows.
 *
 * <ol>
 *   <li>the four caches: browser, OS (both in this process, kept in visit-state.json), router, ISP;
 *   <li>on a miss in all four, the recursor's walk from its {@code /trace}: root, TLD, authoritative;
 *   <li>the TCP three-way handshake, from the wire when tshark may capture;
 *   <li>the HTTP request and response messages;
 *   <li>the page's title and text (and a Chromium screenshot on request);
 *   <li>the connection's close.
 * </ol>
 */
public final class Visit {
  /** Long enough for a walk with a retry; a healthy lab answers in milliseconds. */
  private static final Duration DNS_TIMEOUT = Duration.ofSeconds(10);
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  /** How long to wait for the handshake's and the close's segments to show up in the capture. */
  private static final long CAPTURE_WAIT_MILLIS = 3_000;

  /** Reads the recursor's /trace blocks; fields a newer recursor adds are skipped (the JSON only grows). */
  private static final ObjectMapper TRACE_JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final VisitOptions options;

  public Visit(VisitOptions options) {
    this.options = requireNonNull(options, "options");
  }

  /** Walks {@code url}; the browser and OS caches are saved afterwards. */
  public VisitReport run(String url) throws IOException {
    URI uri = parse(url);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    boolean https = options.https() || "https".equals(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : https ? options.httpsPort() : options.httpPort();
    String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String shownUrl = (https ? "https" : "http") + "://" + host + (uri.getPort() != -1 ? ":" + uri.getPort() : "") + target;

    VisitState state = VisitState.load(options.stateDir(), options.clock());
    LabAdminClient router = options.routerAdmin() == null ? null : new LabAdminClient(options.routerAdmin());
    LabAdminClient recursor = options.recursorAdmin() == null ? null : new LabAdminClient(options.recursorAdmin());
    if (options.noCache()) {
      state.browser().clear();
      state.os().clear();
      flushQuietly(router, host);
      flushQuietly(recursor, host);
    }

    List<CacheCheck> caches = new ArrayList<>();
    Lookup lookup = lookup(host, state, router, recursor, caches);
    state.save();
    if (lookup.addresses().isEmpty()) {
      return new VisitReport(shownUrl, host, caches, lookup, null, null, null, null);
    }

    InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(lookup.addresses().get(0)), port);
    String hostHeader = host + (uri.getPort() != -1 ? ":" + uri.getPort() : "");
    return connectAndFetch(shownUrl, host, hostHeader, target, https, server, caches, lookup);
  }

  private static URI parse(String url) {
    String withScheme = url.contains("://") ? url : "http://" + url;
    URI uri = URI.create(withScheme);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("url: " + url + " (expected: http://HOST/PATH)");
    }
    return uri;
  }

  private static void flushQuietly(LabAdminClient admin, String host) {
    if (admin == null) {
      return;
    }
    try {
      admin.flush(host);
    } catch (IOException e) {
      // The cache check below reports the server as unknown.
    }
  }

  // ---- 1 and 2: the caches, then the walk ----------------------------------------------------

  private Lookup lookup(String host, VisitState state, LabAdminClient router, LabAdminClient recursor,
      List<CacheCheck> caches) throws IOException {
    long now = state.browser().now();
    HostCache.Entry browser = state.browser().get(host);
    if (browser != null) {
      caches.add(new CacheCheck(CacheName.browser, "hit", browser.remainingSeconds(now), browser.addresses(), "this process"));
      skip(caches, CacheName.os, CacheName.router, CacheName.isp);
      return new Lookup("browser", browser.addresses(), browser.remainingSeconds(now), List.of(), null);
    }
    caches.add(new CacheCheck(CacheName.browser, "miss", null, null, "this process"));
    HostCache.Entry os = state.os().get(host);
    if (os != null) {
      caches.add(new CacheCheck(CacheName.os, "hit", os.remainingSeconds(now), os.addresses(), "this process"));
      skip(caches, CacheName.router, CacheName.isp);
      state.browser().put(host, os.addresses(), Math.min(HostCache.BROWSER_LIFETIME_SECONDS, os.remainingSeconds(now)));
      return new Lookup("os", os.addresses(), os.remainingSeconds(now), List.of(), null);
    }
    caches.add(new CacheCheck(CacheName.os, "miss", null, null, "this process"));

    String answeredBy;
    Walk walk = null;
    CacheCheck routerCheck = serverCache(CacheName.router, router, host);
    caches.add(routerCheck);
    if (routerCheck.result().equals("hit")) {
      skip(caches, CacheName.isp);
      answeredBy = "router";
    } else {
      CacheCheck ispCheck = serverCache(CacheName.isp, recursor, host);
      caches.add(ispCheck);
      if (ispCheck.result().equals("hit")) {
        answeredBy = "isp";
      } else {
        answeredBy = "walk";
        walk = recursor == null ? null : walk(recursor, host);
      }
    }

    // No router on the admin port (a lab without one): the "computer" asks the recursor itself.
    boolean viaRouter = !routerCheck.result().equals("unknown") || options.recursorDns() == null;
    Message answer = query(host, viaRouter ? options.router() : options.recursorDns());
    List<String> addresses = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    long ttl = Long.MAX_VALUE;
    for (Record record : answer.getSection(Section.ANSWER)) {
      lines.add(record.toString());
      ttl = Math.min(ttl, record.getTTL());
      if (record instanceof ARecord a) {
        addresses.add(a.getAddress().getHostAddress());
      }
    }
    Long shownTtl = lines.isEmpty() ? null : ttl;
    if (!addresses.isEmpty()) {
      state.os().put(host, addresses, ttl);
      state.browser().put(host, addresses, Math.min(HostCache.BROWSER_LIFETIME_SECONDS, ttl));
    } else {
      lines.add(";; " + Rcode.string(answer.getRcode()) + ": no address for " + host);
    }
    return new Lookup(answeredBy, addresses, shownTtl, lines, walk);
  }

  private static void skip(List<CacheCheck> caches, CacheName... names) {
    for (CacheName name : names) {
      caches.add(new CacheCheck(name, "skipped", null, null, null));
    }
  }

  /** Looks in a server's {@code /cache} for a fresh answer (A, or the CNAME a browser would follow). */
  private static CacheCheck serverCache(CacheName cache, LabAdminClient admin, String host) {
    if (admin == null) {
      return new CacheCheck(cache, "unknown", null, null, null);
    }
    String where = admin.address().getAddress().getHostAddress() + ":" + admin.address().getPort();
    try {
      JsonNode entries = admin.cache();
      for (String type : List.of("A", "CNAME")) {
        for (JsonNode entry : entries) {
          if (entry.path("name").asText().equalsIgnoreCase(host + ".") && type.equals(entry.path("type").asText())
              && "positive".equals(entry.path("kind").asText()) && "ANSWER".equals(entry.path("rank").asText("ANSWER"))) {
            List<String> records = new ArrayList<>();
            entry.path("records").forEach(r -> records.add(r.asText().replaceAll("\\s+", " ")));
            return new CacheCheck(cache, "hit", entry.path("ttl").asLong(), records, where);
          }
        }
      }
      return new CacheCheck(cache, "miss", null, null, where);
    } catch (IOException e) {
      return new CacheCheck(cache, "unknown", null, null, where + " (" + e.getMessage() + ")");
    }
  }

  /** The recursor's {@code /trace}: the walk from root to authoritative, as the second article numbers it. */
  private static Walk walk(LabAdminClient recursor, String host) {
    JsonNode trace;
    try {
      trace = recursor.trace(host, "A");
    } catch (IOException e) {
      return new Walk("UNKNOWN (" + e.getMessage() + ")", 0, 0, List.of());
    }
    return walk(trace);
  }

  /** The walk in a {@code /trace} document, each step with the lock of its zone from the chain of trust. */
  static Walk walk(JsonNode trace) {
    TraceDnssec dnssec = chainOfTrust(trace.path("dnssec"));
    List<WalkStep> steps = new ArrayList<>();
    for (JsonNode step : trace.path("steps")) {
      String role = step.path("server").path("role").asText();
      String reply = step.path("reply").asText();
      List<String> nameServers = new ArrayList<>();
      String referral = null;
      if (reply.equals("REFERRAL")) {
        for (JsonNode line : step.path("authority")) {
          String[] fields = line.asText().trim().split("\\s+");
          if (fields.length >= 5 && fields[3].equals("NS")) {
            // Names are shown in lower case: the recursor's 0x20 letter mixing is not the lesson here.
            referral = fields[0].toLowerCase(Locale.ROOT);
            nameServers.add(fields[4].toLowerCase(Locale.ROOT));
          }
        }
      }
      List<String> answer = new ArrayList<>();
      step.path("answer").forEach(a -> answer.add(lowerOwner(a.asText().replaceAll("\\s+", " "))));
      JsonNode question = step.path("question");
      steps.add(new WalkStep(step.path("step").asInt(), articleStep(role), step.path("depth").asInt(), role,
          step.path("server").path("name").isTextual() ? step.path("server").path("name").asText().toLowerCase(Locale.ROOT) : null, step.path("server").path("address").asText(),
          question.path("name").asText().toLowerCase(Locale.ROOT) + " " + question.path("type").asText(), reply, referral, nameServers,
          answer, step.path("durationMillis").asDouble(), lock(dnssec, step.path("zone").asText())));
    }
    return new Walk(trace.path("rcode").asText(), trace.path("upstreamQueries").asInt(),
        trace.path("durationMillis").asDouble(), steps, dnssec);
  }

  /** The {@code dnssec} block, or null when the recursor sent none (validation off, or an older recursor). */
  private static TraceDnssec chainOfTrust(JsonNode dnssec) {
    if (!dnssec.isObject()) {
      return null;
    }
    try {
      return TRACE_JSON.treeToValue(dnssec, TraceDnssec.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      return null; // a block this visit cannot read: the walk is still shown, without locks
    }
  }

  /** The verdict on {@code zone} in the chain of trust: the lock of a step that asked that zone's servers. */
  private static String lock(TraceDnssec dnssec, String zone) {
    if (dnssec == null) {
      return null;
    }
    return dnssec.chain().stream().filter(link -> link.zone().equalsIgnoreCase(zone)).map(TraceDnssec.Link::security)
        .findFirst().orElse(null);
  }

  private static String lowerOwner(String line) {
    int space = line.indexOf(' ');
    return space < 0 ? line.toLowerCase(Locale.ROOT) : line.substring(0, space).toLowerCase(Locale.ROOT) + line.substring(space);
  }

  /** The second article numbers the walk: STEP 3-4 root, 5-6 TLD, 7-8 authoritative. */
  static String articleStep(String role) {
    return switch (role) {
      case "root" -> "3-4";
      case "tld" -> "5-6";
      case "authoritative" -> "7-8";
      default -> "";
    };
  }

  private Message query(String host, InetSocketAddress server) throws IOException {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(DNS_TIMEOUT);
    Message query = Message.newQuery(Record.newRecord(Name.fromString(host, Name.root), Type.A, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    try {
      return resolver.send(query);
    } catch (IOException e) {
      throw new IOException("no DNS answer from " + server.getAddress().getHostAddress() + ":" + server.getPort()
          + " (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")", e);
    }
  }

  // ---- 3 to 6: connect, ask, render, close ---------------------------------------------------

  private VisitReport connectAndFetch(String url, String host, String hostHeader, String target, boolean https,
      InetSocketAddress server, List<CacheCheck> caches, Lookup lookup) throws IOException {
    Socket socket = new Socket();
    WireCapture capture = null;
    String captureNote;
    try {
      // Bound before connecting: the port is known, so the capture filter names this connection only.
      socket.bind(new InetSocketAddress(0));
      InetSocketAddress local = new InetSocketAddress(socket.getLocalAddress(), socket.getLocalPort());
      if (options.capture()) {
        capture = WireCapture.start(options.tshark(), options.captureInterface(), local, server);
      }
      captureNote = capture != null ? null
          : (options.capture() ? WireCapture.unavailableReason() + ". " : "")
              + "To see the packets: sudo tshark -i " + options.captureInterface() + " -f 'tcp port "
              + server.getPort() + " and host " + server.getAddress().getHostAddress() + "'";

      long start = System.nanoTime();
      socket.connect(server, CONNECT_TIMEOUT_MILLIS);
      double connectMillis = millisSince(start);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      String client = socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
      List<Packet> handshake = List.of();
      if (capture != null) {
        handshake = TcpStates.handshake(TcpStates.label(capture.awaitPackets(TcpStates::established, CAPTURE_WAIT_MILLIS)));
      }
      Connection connection = new Connection(server.getAddress().getHostAddress() + ":" + server.getPort(), client,
          connectMillis, capture != null && handshake.size() == 3, handshake, captureNote);

      Socket stream = https ? tls(socket, host) : socket;
      HttpMessage request = HttpMessages.get(target, hostHeader, options.acceptLanguage());
      long sent = System.nanoTime();
      OutputStream out = stream.getOutputStream();
      HttpMessages.write(request, out);
      InputStream in = stream.getInputStream();
      HttpMessages.Response response = HttpMessages.read(in);
      Exchange exchange = new Exchange(request, response.message(), https, millisSince(sent));

      // Step 6: the client closes (a browser does when the tab goes or the connection idles).
      stream.close();
      Closing closing;
      if (capture != null) {
        List<Packet> all = TcpStates.label(capture.awaitPackets(TcpStates::closed, CAPTURE_WAIT_MILLIS));
        closing = new Closing(true, TcpStates.closing(all), null);
      } else {
        closing = new Closing(false, List.of(), captureNote);
      }
      Rendering rendering = render(url, host, server, response);
      return new VisitReport(url, host, caches, lookup, connection, exchange, rendering, closing);
    } finally {
      socket.close();
      if (capture != null) {
        capture.close();
      }
    }
  }

  private Rendering render(String url, String host, InetSocketAddress server, HttpMessages.Response response) {
    String readAs = response.message().body().readAs();
    PageText page = "html".equals(readAs)
        ? PageText.of(new String(response.body(), StandardCharsets.UTF_8))
        : new PageText(null, "text".equals(readAs) ? new String(response.body(), StandardCharsets.UTF_8) : null);
    String screenshot = null;
    String note = null;
    if (options.screenshot() != null) {
      String chromium = ChromiumScreenshot.find();
      if (chromium == null) {
        note = "no chromium on PATH: apt-get install chromium";
      } else {
        note = ChromiumScreenshot.take(chromium, url, host, server.getAddress().getHostAddress(), server.getPort(),
            options.screenshot());
        if (note == null) {
          screenshot = options.screenshot().toAbsolutePath().toString();
        }
      }
    }
    return new Rendering(page.title(), page.text(), screenshot, note);
  }

  /** TLS over the connected socket, trusting only the lab CA, with SNI and host-name checks. */
  private Socket tls(Socket socket, String host) throws IOException {
    SSLContext context = LabCertificateAuthority.loadOrCreate(options.stateDir()).clientTlsContext();
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(host)));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setApplicationProtocols(new String[] {"http/1.1"});
    tls.setSSLParameters(parameters);
    tls.startHandshake();
    return tls;
  }

  private static double millisSince(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1_000.0) / 1000.0;
  }
}
