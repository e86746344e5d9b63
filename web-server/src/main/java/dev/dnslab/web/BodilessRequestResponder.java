package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The short way for the most common HTTP/1.1 requests: a GET or HEAD of a site's file, without a
 * body, on a keep-alive connection, whether it asks for gzip (a browser) or for no content coding
 * (curl, wrk), and a browser's reload of it (If-None-Match, If-Modified-Since). Such a request is
 * answered here, just after the codec, from the file's pre-built responses ({@link
 * WebRequestHandler#prebuiltAnswer}): the 304 when its condition holds ({@link ConditionalGet}, the
 * full path's own test), else the 200 as it is or gzip-coded as the full path's compressor would
 * choose for its Accept-Encoding ({@link ShortWayRequest#coding}), with the very bytes the normal
 * path sends; the "head", "gzip" and "aggregate" handlers and the request handler behind it never
 * see it. Every other request (a body, a 200 for which the compressor picks deflate, a 404, a
 * redirect, /_lab, HTTP/1.0, Connection: close, a malformed request) goes on to them unchanged.
 *
 * <p>Responses are written without a promise and flushed once when the read ends, so pipelined
 * requests leave in one write. Their metrics and access-log line are recorded as soon as the write
 * is issued: the duration of such a request ends when the response is handed to the transport,
 * not when the transport has written it (see the README). One per connection: it remembers to
 * drop the empty end of each request it answered.
 */
final class BodilessRequestResponder extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(BodilessRequestResponder.class);

  private final WebRequestHandler requests;
  /** The request answered here has an end (LastHttpContent) still to come, to drop. */
  private boolean droppingRequestEnd;
  /** A response was written here since the last flush. */
  private boolean flushPending;

  BodilessRequestResponder(WebRequestHandler requests) {
    this.requests = requireNonNull(requests, "requests");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (droppingRequestEnd && msg instanceof HttpContent content) {
      droppingRequestEnd = !(content instanceof LastHttpContent);
      content.release();
      return;
    }
    if (msg instanceof HttpRequest request && !(msg instanceof FullHttpRequest) && qualifies(request)
        && answered(ctx, request)) {
      droppingRequestEnd = true;
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /** GET or HEAD over HTTP/1.1 keep-alive, decoded fine, naming its site, no body. */
  private static boolean qualifies(HttpRequest request) {
    HttpMethod method = request.method();
    if (!(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))
        || !request.decoderResult().isSuccess()
        || !HttpVersion.HTTP_1_1.equals(request.protocolVersion())) {
      return false;
    }
    HttpHeaders headers = request.headers();
    return headers.contains(HttpHeaderNames.HOST)
        && ShortWayRequest.asksNothingElse(RequestFields.of(headers))
        && HttpUtil.isKeepAlive(request);
  }

  /** Writes the pre-built answer; false (nothing written) when the request needs the normal path. */
  private boolean answered(ChannelHandlerContext ctx, HttpRequest request) {
    long start = System.nanoTime();
    RequestFields fields = RequestFields.of(request.headers());
    ConditionalGet condition = ConditionalGet.of(fields);
    ShortWayRequest.Coding coding = ShortWayRequest.coding(fields);
    if (ShortWayRequest.leftToFullPath(coding, condition)) {
      return false;
    }
    // The request as the access log and the echo know it: the same headers, no content.
    FullHttpRequest whole =
        new DefaultFullHttpRequest(
            request.protocolVersion(), request.method(), request.uri(), Unpooled.EMPTY_BUFFER, request.headers(),
            EmptyHttpHeaders.INSTANCE);
    WebExchange exchange =
        new WebExchange(
            whole,
            request.protocolVersion().text(),
            requests.scheme(),
            (InetSocketAddress) ctx.channel().remoteAddress(),
            (InetSocketAddress) ctx.channel().localAddress(),
            null,
            start);
    WebRequestHandler.PrebuiltAnswer answer;
    try {
      answer = requests.prebuiltAnswer(exchange, condition, coding);
    } catch (RuntimeException e) {
      // The normal path meets the same failure and answers it (a 500, logged there).
      log.debug("{} {}: taking the normal path: {}", request.method(), request.uri(), e.toString());
      return false;
    }
    if (answer == null) {
      return false;
    }
    // Its bytes, which the codec ("http") writes as they are.
    ctx.write(answer.response(), ctx.voidPromise());
    flushPending = true;
    requests.answered(ctx.executor(), exchange, answer.host(), answer.status(), answer.bodyBytes());
    return true;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }
}
