package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/2's short way, as {@link BodilessRequestResponder} is HTTP/1.1's: a stream whose HEADERS
 * end it (no body) and ask a GET or HEAD of a site's cached file is answered from the file's
 * pre-built header blocks and body ({@link StaticSiteResponder#prebuiltHttp2File}): the 304 when
 * its if-none-match or if-modified-since holds ({@link ConditionalGet}, the full path's own test),
 * else the 200 as it is or gzip-coded as the full path's compressor would choose for its
 * accept-encoding ({@link ShortWayRequest#coding}), the very header fields and bytes the normal
 * path sends. The normal path
 * turned each such request into HTTP/1 objects (HttpConversionUtil.toFullHttpRequest, a pooled
 * buffer for its empty content), built a response with a header map per request, gzip-coded it
 * again for every request and converted that map into HTTP/2 header fields again. Every other
 * request (a body, a 200 for which the compressor picks deflate, no {@code :authority}, a 404,
 * a redirect, /_lab) takes the normal path unchanged.
 *
 * <p>As on HTTP/1.1's short way, the metrics and the access-log line are recorded when the
 * response is handed to the connection's encoder, without a listener on its promise, and the
 * response leaves with the flush that ends the read (Http2ConnectionHandler's channelReadComplete).
 */
final class Http2BodilessResponder {
  private static final Logger log = LoggerFactory.getLogger(Http2BodilessResponder.class);

  private final WebRequestHandler requests;

  Http2BodilessResponder(WebRequestHandler requests) {
    this.requests = requireNonNull(requests, "requests");
  }

  /**
   * Answers a request that ended with its HEADERS, if it qualifies; false (nothing written) when
   * it needs the normal path.
   */
  boolean answered(ChannelHandlerContext ctx, Http2ConnectionEncoder encoder, int streamId, Http2Headers headers) {
    long start = System.nanoTime();
    HttpMethod method = methodOf(headers.method());
    CharSequence target = headers.path();
    CharSequence authority = headers.authority();
    // HPACK's decoder gives every name in lower case (RFC 9113 8.2.1), as ShortWayRequest's are.
    RequestFields fields = RequestFields.of(headers);
    if (method == null || target == null || authority == null || !ShortWayRequest.asksNothingElse(fields)) {
      return false;
    }
    ConditionalGet condition = ConditionalGet.of(fields);
    ShortWayRequest.Coding coding = ShortWayRequest.coding(fields);
    if (ShortWayRequest.leftToFullPath(coding, condition)) {
      return false;
    }
    String uri = target.toString();
    if (!uri.startsWith("/")) {
      return false;
    }
    String host = HostHeader.hostOf(authority.toString());
    StaticSiteResponder.Http2File file;
    try {
      file = requests.prebuiltHttp2Answer(host, WebExchange.pathOf(uri), condition, coding);
    } catch (RuntimeException e) {
      // The normal path meets the same failure and answers it (a 500, logged there).
      log.debug("{} {}: taking the normal path: {}", method, uri, e.toString());
      return false;
    }
    if (file == null) {
      return false;
    }
    // HEAD: GET's header fields and no content (RFC 9110 9.3.2); an empty file and a 304 have none either.
    boolean content = method.equals(HttpMethod.GET) && file.body().isReadable();
    // Promises with no listener, not void ones: the encoder un-voids a void promise into one that
    // fires a failed write (a stream reset meanwhile) down the pipeline, where
    // Http2ConnectionHandler would take it for a connection error.
    encoder.writeHeaders(ctx, streamId, file.headers(), 0, !content, ctx.newPromise());
    if (content) {
      encoder.writeData(ctx, streamId, file.body().duplicate(), 0, true, ctx.newPromise());
    }
    // The file's length, before gzip, as the full path counts it; none for HEAD.
    long bodyBytes = method.equals(HttpMethod.GET) ? file.contentBytes() : 0;
    WebExchange exchange =
        new WebExchange(
            new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER, EmptyHttpHeaders.INSTANCE,
                EmptyHttpHeaders.INSTANCE),
            WebExchange.H2,
            requests.scheme(),
            (InetSocketAddress) ctx.channel().remoteAddress(),
            (InetSocketAddress) ctx.channel().localAddress(),
            headers,
            start);
    requests.answered(ctx.executor(), exchange, host, file.status(), bodyBytes);
    return true;
  }

  /** GET or HEAD, else null. */
  private static HttpMethod methodOf(CharSequence method) {
    if (method == null) {
      return null;
    }
    if (HttpMethod.GET.asciiName().contentEquals(method)) {
      return HttpMethod.GET;
    }
    if (HttpMethod.HEAD.asciiName().contentEquals(method)) {
      return HttpMethod.HEAD;
    }
    return null;
  }
}
