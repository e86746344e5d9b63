package dev.dnslab.core.authority;

import dev.dnslab.core.cookie.CookieStatus;
import dev.dnslab.core.cookie.ServerCookieHandler;
import dev.dnslab.core.handler.EdnsHandler;
import dev.dnslab.core.handler.PlainResponseOpt;
import dev.dnslab.core.handler.QueryLogHandler;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.AnswerShortcut;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.wire.AnswerTemplate;
import dev.dnslab.core.wire.PlainQuery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;

/**
 * The fast authorities' way to answer a query they answered before: the rendered answer ({@link
 * AnswerTemplate}) copied and patched for a {@link PlainQuery}, without a dnsjava message or a trip
 * through the handler chain.
 *
 * <p>It stands in for exactly one chain, the plain authority chain {@code QueryLog -> Metrics ->
 * Opcode -> EDNS -> Cookies -> ZoneTransfer -> Authority} ({@link AuthorityServer#path}), and only
 * where that chain's answer is already known without running it: a plain query is a QUERY (the
 * opcode handler passes it on), not a transfer, and with an OPT of version 0 without options,
 * which the EDNS handler answers with its own OPT appended. A query whose OPT holds one COOKIE option
 * alone is taken too when the cookie handler would pass it on and only add its cookie: a client
 * cookie alone (RFC 7873 5.2.3) or with a server cookie that verifies (5.2.5); the OPT appended then
 * holds what the two handlers write, the client cookie and a fresh server cookie. A server cookie
 * that does not verify (BADCOOKIE over UDP, 5.2.4) and every other option take the chain.
 *
 * <p>Any other chain, one with response rate limiting or with interceptors such as a scenario's
 * faults and query journal, gets no shortcut at all ({@link AuthorityPath#shortcut} is null), and
 * neither does any query while the query log writes each query at DEBUG.
 */
public final class TemplateShortcut implements AnswerShortcut {

  private final QueryLogHandler queryLog;
  private final DnsMetrics metrics;
  private final AuthorityHandler authority;
  private final PlainResponseOpt opt;
  private final ServerCookieHandler cookies;

  /**
   * The shortcut past the plain authority chain made of these handlers ({@link AuthorityServer#path}
   * builds it, and knows when a chain is plain).
   */
  TemplateShortcut(QueryLogHandler queryLog, DnsMetrics metrics, EdnsHandler edns, ServerCookieHandler cookies,
      AuthorityHandler authority) {
    this.queryLog = queryLog;
    this.metrics = metrics;
    this.authority = authority;
    this.opt = new PlainResponseOpt(edns);
    this.cookies = cookies;
  }

  @Override
  public ByteBuf answer(
      PlainQuery query, Transport transport, InetSocketAddress client, int limit, ByteBufAllocator alloc) {
    long start = System.nanoTime();
    if (queryLog.logsQueries()) {
      return null;
    }
    AnswerTemplate known = authority.knownAnswer(query);
    if (known == null) {
      return null;
    }
    CookieStatus cookie = CookieStatus.ABSENT;
    byte[] responseOpt;
    if (query.hasCookie()) {
      if (client == null) {
        return null;
      }
      cookie = cookies.status(query, client.getAddress());
      if (cookie == CookieStatus.INVALID) {
        return null; // BADCOOKIE over UDP: the chain's to answer
      }
      responseOpt = opt.withCookie(query, cookies, client.getAddress());
    } else {
      responseOpt = opt.of(query);
    }
    ByteBuf answer = known.render(query, responseOpt, limit, alloc);
    if (answer != null) {
      // As the metrics and cookie handlers count: the query, its cookie, then the response's rcode
      // (the OPT appended here never carries an extended one).
      metrics.request(transport, query.type());
      if (cookie != CookieStatus.ABSENT) {
        cookies.counted(cookie);
      }
      metrics.response(known.rcode(), System.nanoTime() - start);
    }
    return answer;
  }
}
