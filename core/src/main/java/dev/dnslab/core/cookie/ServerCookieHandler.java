package dev.dnslab.core.cookie;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.wire.PlainQuery;
import io.micrometer.core.instrument.Counter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * DNS cookies on a server (RFC 7873 5.2, server cookies per RFC 9018). A query with a client cookie
 * gets a fresh server cookie back in its response; a UDP query whose server cookie is not ours (or
 * has expired) gets BADCOOKIE with a fresh one, so the client can retry at once (RFC 7873 5.2.3
 * option 2, chosen for 5.2.4); over TCP, which already proves the address, it is answered as usual.
 * Runs after {@code EdnsHandler}, which keeps the COOKIE option and the extended rcode when it
 * writes the response's OPT.
 */
public final class ServerCookieHandler implements DnsHandler {
  public static final String COOKIES = "dns.cookies";

  /** Any value: {@code EdnsHandler} replaces it with the payload size the server advertises. */
  private static final int PROVISIONAL_PAYLOAD = 1232;

  private final ServerCookies cookies;
  private final DnsMetrics metrics;
  private final Map<CookieStatus, Counter> counters = new ConcurrentHashMap<>();

  public ServerCookieHandler(ServerCookies cookies, DnsMetrics metrics) {
    this.cookies = requireNonNull(cookies, "cookies");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  /** What the query's cookie proves about its client. */
  public CookieStatus status(DnsRequest request) {
    CookieOption cookie = CookieOptions.of(request.query());
    if (cookie == null) {
      return CookieStatus.ABSENT;
    }
    if (cookie.getServerCookie().isEmpty()) {
      return CookieStatus.CLIENT_ONLY;
    }
    return cookies.isValid(cookie, request.client().getAddress()) ? CookieStatus.VALID : CookieStatus.INVALID;
  }

  /**
   * What the cookie of {@code query} (which {@link PlainQuery#hasCookie has one}) from {@code client}
   * proves: what {@link #status(DnsRequest)} finds for the same query, read without dnsjava.
   */
  public CookieStatus status(PlainQuery query, InetAddress client) {
    if (!query.hasServerCookie()) {
      return CookieStatus.CLIENT_ONLY;
    }
    return query.serverCookiePasses(cookies, client) ? CookieStatus.VALID : CookieStatus.INVALID;
  }

  /**
   * The server cookie this handler puts in the response to the client cookie at {@code clientAt} in
   * {@code clientCookie} from {@code client} (fresh, stamped now), written into {@code into} at
   * {@code at} (16 bytes), for an answer written past the chain ({@code TemplateShortcut}).
   */
  public void serverCookie(byte[] clientCookie, int clientAt, InetAddress client, byte[] into, int at) {
    cookies.issue(clientCookie, clientAt, client, into, at);
  }

  /** Counts a query whose cookie proved {@code status} and was answered past the chain, as {@link #handle} counts it. */
  public void counted(CookieStatus status) {
    count(status);
  }

  /** Whether the query carries a valid server cookie: what exempts a client from rate limiting. */
  public boolean isVerified(DnsRequest request) {
    return status(request) == CookieStatus.VALID;
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    CookieStatus status = status(request);
    if (status == CookieStatus.ABSENT) {
      return next.proceed(request);
    }
    count(status);
    byte[] clientCookie = CookieOptions.of(request.query()).getClientCookie();
    InetAddress client = request.client().getAddress();
    if (status == CookieStatus.INVALID && request.transport() == Transport.UDP) {
      Message badCookie = request.newResponse(Rcode.NOERROR);
      return CompletableFuture.completedFuture(withCookie(badCookie, Rcode.BADCOOKIE, clientCookie, client));
    }
    return next.proceed(request)
        .thenApply(response -> withCookie(response, response.getRcode(), clientCookie, client));
  }

  /** {@code response} with rcode {@code rcode} and our COOKIE option in its OPT, other options kept. */
  private Message withCookie(Message response, int rcode, byte[] clientCookie, InetAddress client) {
    List<EDNSOption> options = new ArrayList<>();
    int payload = PROVISIONAL_PAYLOAD;
    OPTRecord existing = response.getOPT();
    if (existing != null) {
      payload = existing.getPayloadSize();
      for (EDNSOption option : existing.getOptions()) {
        if (!(option instanceof CookieOption)) {
          options.add(option);
        }
      }
      response.removeRecord(existing, Section.ADDITIONAL);
    }
    options.add(new CookieOption(clientCookie, cookies.issue(clientCookie, client)));
    response.getHeader().setRcode(rcode & 0xF);
    response.addRecord(new OPTRecord(payload, rcode >>> 4, 0, 0, options), Section.ADDITIONAL);
    return response;
  }

  private void count(CookieStatus status) {
    counters.computeIfAbsent(status, s -> Counter.builder(COOKIES)
            .description("Queries with a DNS cookie (RFC 7873), by what the cookie proved")
            .tags("role", metrics.role(), "result", s.tag())
            .register(metrics.registry()))
        .increment();
  }
}
