package dev.dnslab.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, close to nginx's "combined" format plus the protocol and the time taken:
 * {@code 127.0.0.1:51234 www.google.com "GET / HTTP/1.1" 200 1432 h2 0.4ms "curl/7.88.1"}.
 * Logger {@code dnslab.access}; turn it off with {@code -Dlogback...} or a level of OFF.
 */
final class AccessLog {
  private static final Logger log = LoggerFactory.getLogger("dnslab.access");

  private AccessLog() {}

  static void record(WebExchange exchange, String host, int status, long bodyBytes, long durationNanos) {
    if (!log.isInfoEnabled()) {
      return;
    }
    var request = exchange.request();
    String client =
        exchange.client() == null ? "-" : exchange.client().getAddress().getHostAddress() + ":" + exchange.client().getPort();
    String userAgent = request.headers().get("user-agent");
    log.info(
        "{} {} \"{} {} {}\" {} {} {} {}ms \"{}\"",
        client,
        host == null ? "-" : host,
        request.method(),
        request.uri(),
        exchange.isHttp2() ? "HTTP/2" : request.protocolVersion().text(),
        status,
        bodyBytes,
        exchange.protocol(),
        String.format(java.util.Locale.ROOT, "%.1f", durationNanos / 1e6),
        userAgent == null ? "-" : userAgent);
  }
}
