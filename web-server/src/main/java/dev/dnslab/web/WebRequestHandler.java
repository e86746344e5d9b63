package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dnslab.core.admin.AdminResponse;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one request path for HTTP/1.1 and HTTP/2 alike: both arrive here as a complete request
 * (HTTP/1.x through this handler's place in the pipeline, HTTP/2 streams from {@link
 * Http2RequestHandler} through {@link #answer(WebExchange)}), are answered from the lab endpoints or
 * the site named by Host, and leave with one access-log line and metrics.
 */
@ChannelHandler.Sharable
final class WebRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(WebRequestHandler.class);

  static final String ECHO_PATH = "/_lab/echo";
  static final String CA_PATH = "/_lab/ca.pem";
  static final String SERVER = "dnslab-web";
  /** Encoded once: an AsciiString header value is copied to the wire as it is. */
  private static final AsciiString SERVER_VALUE = AsciiString.cached(SERVER);

  private final SiteCatalog sites;
  private final StaticSiteResponder files;
  private final WebMetrics metrics;
  private final String scheme;
  /** The lab CA's certificate as PEM, read at its first download (the server's CA waits for it). */
  private final Supplier<byte[]> caPem;

  WebRequestHandler(SiteCatalog sites, StaticSiteResponder files, WebMetrics metrics, String scheme, Supplier<byte[]> caPem) {
    this.sites = requireNonNull(sites, "sites");
    this.files = requireNonNull(files, "files");
    this.metrics = requireNonNull(metrics, "metrics");
    this.scheme = requireNonNull(scheme, "scheme");
    this.caPem = requireNonNull(caPem, "caPem");
  }

  /** "http" or "https": what this handler's port speaks. */
  String scheme() {
    return scheme;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    WebExchange exchange =
        new WebExchange(
            request,
            request.protocolVersion().text(),
            scheme,
            (InetSocketAddress) ctx.channel().remoteAddress(),
            (InetSocketAddress) ctx.channel().localAddress(),
            null,
            System.nanoTime());
    if (!request.decoderResult().isSuccess()) {
      write(ctx, exchange, null, stamped(malformed(request.decoderResult().cause())), true);
      return;
    }
    Answer answer = answer(exchange);
    write(ctx, exchange, answer.host(), answer.response(), false);
  }

  /** A complete response to one request, and the site it was for (null when the request named none). */
  record Answer(String host, FullHttpResponse response) {}

  /**
   * Answers one complete request, HTTP/1.x or HTTP/2: the response with Server and Date set, before
   * any content coding. Never throws: a failure becomes a 500.
   */
  Answer answer(WebExchange exchange) {
    FullHttpRequest request = exchange.request();
    String host = hostOf(exchange);
    FullHttpResponse response;
    try {
      response = answer(exchange, host);
    } catch (RuntimeException e) {
      // Logged here, once; the client learns only that it failed (no stack trace on the wire).
      log.warn("{} {} {} failed", host, request.method(), request.uri(), e);
      response = Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "The server failed to answer this request.");
    }
    return new Answer(host, stamped(response));
  }

  /** Every response names the server and carries the current date (RFC 9110 6.6.1, 10.2.4). */
  private static FullHttpResponse stamped(FullHttpResponse response) {
    response.headers().set(HttpHeaderNames.SERVER, SERVER_VALUE);
    response.headers().set(HttpHeaderNames.DATE, HttpDateClock.now());
    return response;
  }

  /**
   * The body bytes a response to this request counts: none for HEAD, which is answered as GET so
   * that gzip sets GET's header fields, and whose content is then dropped (RFC 9110 9.3.2).
   */
  static long bodyBytes(FullHttpRequest request, FullHttpResponse response) {
    return request.method().equals(HttpMethod.HEAD) ? 0 : response.content().readableBytes();
  }

  /** Once the response is written: its metrics and its access-log line. */
  void answered(EventExecutor loop, WebExchange exchange, String host, int status, long bodyBytes) {
    long took = System.nanoTime() - exchange.startNanos();
    metrics.answered(host, status, exchange.protocol(), bodyBytes, took);
    AccessLog.record(loop, exchange, host, status, bodyBytes, took);
  }

  /**
   * The answer to a bodiless GET or HEAD of a site's cached file, with Server and Date set, made
   * from that file's pre-built responses: its 304 when {@code condition} holds, else its 200 as it
   * is or gzip-coded as {@code coding} says; null for every other request, which takes the normal
   * path. The caller has checked the method and the absence of a body ({@link ShortWayRequest}).
   */
  PrebuiltAnswer prebuiltAnswer(WebExchange exchange, ConditionalGet condition, ShortWayRequest.Coding coding) {
    String host = HostHeader.hostOf(exchange.request().headers().get(HttpHeaderNames.HOST));
    String path = exchange.path();
    Site site = shortWaySite(host, path);
    if (site == null) {
      return null;
    }
    StaticSiteResponder.PrebuiltFile file =
        files.prebuiltFile(
            site, path, exchange.request().method(), condition, coding, SERVER_VALUE, HttpDateClock.now());
    return file == null ? null : new PrebuiltAnswer(host, file.response(), file.status(), file.contentBytes());
  }

  /**
   * A short way's answer: the site, the response's bytes, its status, and the body bytes its metrics
   * count (before gzip).
   */
  record PrebuiltAnswer(String host, PreEncodedResponse response, int status, long bodyBytes) {}

  /**
   * The site whose file {@code path} may name on either short way: null for a host that is no lab
   * site and for the lab's own pages (the request echo, the CA), which are answered fresh.
   */
  private Site shortWaySite(String host, String path) {
    Site site = host == null ? null : sites.site(host);
    return site == null || path.equals(ECHO_PATH) || path.equals(CA_PATH) ? null : site;
  }

  /**
   * The HTTP/2 answer to a bodiless GET or HEAD of {@code path} (still percent-encoded, no query) on
   * {@code host}'s site, from the file's pre-built header block and body, with Server and the
   * current Date; null when {@link #prebuiltAnswer} would give null, and the request takes the
   * normal path. The caller has checked what that method's caller checks.
   */
  StaticSiteResponder.Http2File prebuiltHttp2Answer(
      String host, String path, ConditionalGet condition, ShortWayRequest.Coding coding) {
    Site site = shortWaySite(host, path);
    return site == null
        ? null
        : files.prebuiltHttp2File(site, path, condition, coding, SERVER_VALUE, HttpDateClock.now());
  }

  private static String hostOf(WebExchange exchange) {
    if (exchange.isHttp2() && exchange.http2Headers().authority() != null) {
      return HostHeader.hostOf(exchange.http2Headers().authority().toString());
    }
    return HostHeader.hostOf(exchange.request().headers().get(HttpHeaderNames.HOST));
  }

  private FullHttpResponse answer(WebExchange exchange, String host) {
    FullHttpRequest request = exchange.request();
    boolean hostMissing = !exchange.isHttp2() && !request.headers().contains(HttpHeaderNames.HOST);
    if (hostMissing && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      return Responses.error(
          HttpResponseStatus.BAD_REQUEST, "An HTTP/1.1 request must name its site in a Host header (RFC 9112 3.2).");
    }
    String path = exchange.path();
    if (path.equals(ECHO_PATH)) {
      return echo(exchange);
    }
    boolean readOnly = request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
    if (path.equals(CA_PATH) && readOnly) {
      FullHttpResponse response = Responses.bytes(HttpResponseStatus.OK, "application/x-pem-file", caPem.get());
      response.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"dnslab-ca.pem\"");
      return response;
    }
    Site site = host == null ? null : sites.site(host);
    if (site == null) {
      String target = host == null ? null : sites.aliasTarget(host);
      if (target != null) {
        return Responses.redirect(scheme + "://" + target + path + exchange.query());
      }
      return Responses.html(HttpResponseStatus.NOT_FOUND, LabPages.unknownHost(host, sites.hosts(), sites.aliases()));
    }
    if (!readOnly) {
      FullHttpResponse response =
          Responses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "Files can only be fetched (GET) or inspected (HEAD). "
              + "Send other methods to " + ECHO_PATH + " to see them.");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      return response;
    }
    return files.respond(site, exchange);
  }

  private static FullHttpResponse echo(WebExchange exchange) {
    RequestEcho echo = RequestEcho.of(exchange);
    FullHttpResponse response;
    if (wantsJson(exchange)) {
      try {
        response =
            Responses.bytes(HttpResponseStatus.OK, AdminResponse.JSON, AdminResponse.mapper().writeValueAsBytes(echo));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else {
      response = Responses.html(HttpResponseStatus.OK, EchoPage.render(echo));
    }
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    response.headers().set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT);
    return response;
  }

  /** {@code ?format=json}, or an Accept header that asks for JSON rather than HTML. */
  private static boolean wantsJson(WebExchange exchange) {
    String query = exchange.query();
    if (query.contains("format=json")) {
      return true;
    }
    if (query.contains("format=html")) {
      return false;
    }
    String accept = exchange.request().headers().get(HttpHeaderNames.ACCEPT);
    return accept != null && accept.contains("application/json") && !accept.contains("text/html");
  }

  private FullHttpResponse malformed(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      metrics.rejected("request-line-too-long");
      // RFC 9112 3: a request-target longer than the server will parse gets 414.
      return Responses.error(HttpResponseStatus.REQUEST_URI_TOO_LONG, "The request line is longer than this server accepts.");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      metrics.rejected("headers-too-large");
      return Responses.error(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request's header fields are larger than this server accepts.");
    }
    metrics.rejected("malformed");
    return Responses.error(HttpResponseStatus.BAD_REQUEST, "The request is not well-formed HTTP.");
  }

  private void write(ChannelHandlerContext ctx, WebExchange exchange, String host, FullHttpResponse response, boolean close) {
    FullHttpRequest request = exchange.request();
    long bodyBytes = bodyBytes(request, response);
    boolean keepAlive = !close && HttpUtil.isKeepAlive(request);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    int status = response.status().code();
    ChannelFuture written = ctx.writeAndFlush(response);
    written.addListener(done -> answered(ctx.executor(), exchange, host, status, bodyBytes));
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
