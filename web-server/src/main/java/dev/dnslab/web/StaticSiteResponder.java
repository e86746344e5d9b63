package dev.dnslab.web;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers GET and HEAD from a site's folder: the file with its MIME type, index.html for a folder,
 * 304 when the client's copy is current, the site's own 404.html (or the lab's) when nothing is
 * there, and 400 for paths that try to leave the folder.
 */
final class StaticSiteResponder {
  private static final Logger log = LoggerFactory.getLogger(StaticSiteResponder.class);

  /** A site may bring its own not-found page. */
  static final String NOT_FOUND_PAGE = "404.html";

  /**
   * "Keep it, but ask me before using it": every reload then shows a conditional request and its
   * 304 in the browser's network panel (RFC 9111 5.2.2.4).
   */
  private static final String CACHE_CONTROL = "no-cache";

  private final FileContentCache cache = new FileContentCache();
  private final WebMetrics metrics;

  StaticSiteResponder(WebMetrics metrics) {
    this.metrics = metrics;
  }

  FullHttpResponse respond(Site site, WebExchange exchange) {
    SiteFile file = SitePathResolver.resolve(site, exchange.path());
    switch (file.kind()) {
      case REFUSED:
        metrics.rejected("path");
        log.debug("refused {} on {}: {}", exchange.request().uri(), site.host(), file.reason());
        return Responses.error(HttpResponseStatus.BAD_REQUEST, "This path is not allowed: " + file.reason() + ".");
      case ADD_SLASH:
        return Responses.redirect(exchange.path() + "/" + exchange.query());
      case NOT_FOUND:
        return notFound(site, exchange);
      case FILE:
      default:
        return file(file, exchange);
    }
  }

  private FullHttpResponse file(SiteFile file, WebExchange exchange) {
    HttpHeaders request = exchange.request().headers();
    FileContentCache.Entry cached = cache.current(file);
    FileContentCache.Validators validators = cached != null ? cached.validators() : FileContentCache.Validators.of(file);
    if (notModified(request, validators.etag(), file.lastModifiedMillis())) {
      FullHttpResponse response = Responses.empty(HttpResponseStatus.NOT_MODIFIED);
      validators(response.headers(), validators);
      return response;
    }
    // HEAD too: the content decides GET's Content-Encoding and Content-Length (RFC 9110 9.3.2), and
    // the pipeline's "head" handler sends none of it.
    FullHttpResponse response;
    try {
      byte[] content = cached != null ? cached.content() : cache.read(file);
      response = Responses.bytes(HttpResponseStatus.OK, validators.contentType(), content);
    } catch (IOException e) {
      log.warn("cannot read {}: {}", file.file(), e.toString());
      return Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "The file exists but could not be read.");
    }
    validators(response.headers(), validators);
    return response;
  }

  /** RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since counts only without it. */
  private static boolean notModified(HttpHeaders request, String etag, long lastModifiedMillis) {
    String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      return matchesAny(ifNoneMatch, etag);
    }
    String ifModifiedSince = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
    if (ifModifiedSince != null) {
      Date since = DateFormatter.parseHttpDate(ifModifiedSince);
      // HTTP dates have whole seconds; compare at that precision or a fresh copy looks stale.
      return since != null && lastModifiedMillis / 1000 <= since.getTime() / 1000;
    }
    return false;
  }

  /** Weak comparison (RFC 9110 8.8.3.2): W/"x" matches "x" and W/"x". */
  private static boolean matchesAny(String ifNoneMatch, String etag) {
    String opaque = opaque(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.strip();
      if (tag.equals("*") || opaque(tag).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  private static String opaque(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  private static void validators(HttpHeaders headers, FileContentCache.Validators validators) {
    headers.set(HttpHeaderNames.ETAG, validators.etag());
    headers.set(HttpHeaderNames.LAST_MODIFIED, validators.lastModified());
    headers.set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL);
    // RFC 9110 12.5.5: the body may be gzip or not depending on Accept-Encoding; caches must know.
    headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
  }

  private FullHttpResponse notFound(Site site, WebExchange exchange) {
    byte[] page = null;
    SiteFile custom = SitePathResolver.resolve(site, "/" + NOT_FOUND_PAGE);
    if (custom.kind() == SiteFile.Kind.FILE) {
      try {
        page = cache.read(custom);
      } catch (IOException e) {
        log.debug("cannot read {}: {}", custom.file(), e.toString());
      }
    }
    return page != null
        ? Responses.bytes(HttpResponseStatus.NOT_FOUND, MimeTypes.HTML, page)
        : Responses.html(HttpResponseStatus.NOT_FOUND, LabPages.notFound(site.host(), exchange.path()));
  }

}
