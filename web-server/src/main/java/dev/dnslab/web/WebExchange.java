package dev.dnslab.web;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetSocketAddress;

/**
 * One request as the server received it, with what the learner wants to see next to it: which
 * protocol carried it, over which scheme, from which client address and port, to which server
 * address.
 *
 * @param protocol "HTTP/1.1", "HTTP/1.0" or "h2" (the ALPN name, RFC 7301)
 * @param request the request as HTTP/1 objects; for an HTTP/2 request answered by {@link
 *     Http2BodilessResponder}, its method and target alone, with no header fields (they are in
 *     {@code http2Headers})
 * @param http2Headers the HTTP/2 header block exactly as decoded, pseudo-header fields included;
 *     null for HTTP/1.x
 */
record WebExchange(
    FullHttpRequest request,
    String protocol,
    String scheme,
    InetSocketAddress client,
    InetSocketAddress server,
    Http2Headers http2Headers,
    long startNanos) {

  static final String H2 = "h2";

  boolean isHttp2() {
    return http2Headers != null;
  }

  /** The path of the request target, still percent-encoded; absolute-form reduced to its path. */
  String path() {
    return pathOf(request.uri());
  }

  /** The path of a request target, as {@link #path()} gives it. */
  static String pathOf(String requestTarget) {
    String target = originForm(requestTarget);
    int end = indexOfAny(target, '?', '#');
    return end < 0 ? target : target.substring(0, end);
  }

  /** The query including its '?', or "". */
  String query() {
    String target = originForm(request.uri());
    int start = target.indexOf('?');
    if (start < 0) {
      return "";
    }
    int fragment = target.indexOf('#', start);
    return fragment < 0 ? target.substring(start) : target.substring(start, fragment);
  }

  /** RFC 9112 3.2.2: a server must accept absolute-form ("GET http://host/path"). */
  private static String originForm(String target) {
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      return slash < 0 ? "/" : target.substring(slash);
    }
    return target;
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == a || c == b) {
        return i;
      }
    }
    return -1;
  }
}
