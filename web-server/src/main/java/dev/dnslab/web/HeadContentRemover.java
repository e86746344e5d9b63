package dev.dnslab.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Sends a response to HEAD as its header fields alone. The handlers behind it answer HEAD exactly as
 * GET, content included, so that the compressor sets GET's {@code Content-Encoding} and
 * {@code Content-Length} (RFC 9110 9.3.2: "the same header fields as GET ... without the content").
 * This handler then drops the content, for HTTP/1.x and HTTP/2 streams alike. One per connection
 * (or stream): it remembers which requests were HEAD. HTTP/1.1 answers pipelined requests in order
 * (RFC 9112 9.3.2), so a queue pairs each final response with its request. A 1xx interim response
 * answers no request on its own.
 */
final class HeadContentRemover extends ChannelDuplexHandler {
  private final Queue<Boolean> requestWasHead = new ArrayDeque<>();
  private boolean droppingContent;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      requestWasHead.add(HttpMethod.HEAD.equals(request.method()));
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
      droppingContent = Boolean.TRUE.equals(requestWasHead.poll());
      if (droppingContent) {
        droppingContent = !(msg instanceof LastHttpContent);
        FullHttpResponse headersOnly = new DefaultFullHttpResponse(response.protocolVersion(), response.status(),
            Unpooled.EMPTY_BUFFER, response.headers(), EmptyHttpHeaders.INSTANCE);
        ReferenceCountUtil.release(msg);
        ctx.write(headersOnly, promise);
        return;
      }
    } else if (droppingContent && msg instanceof HttpContent content) {
      droppingContent = !(content instanceof LastHttpContent);
      content.release();
      promise.setSuccess();
      return;
    }
    ctx.write(msg, promise);
  }
}
