package dev.dnslab.web;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.AttributeKey;

/**
 * Keeps an HTTP/2 stream's request header block as it arrived (pseudo-header fields and lower-case
 * names included) before it is converted to an HTTP/1.1-shaped request, so /_lab/echo can show what
 * the client really sent.
 */
@ChannelHandler.Sharable
final class Http2HeadersCapture extends ChannelInboundHandlerAdapter {
  static final AttributeKey<Http2Headers> HEADERS = AttributeKey.valueOf("dnslab.web.http2Headers");
  static final Http2HeadersCapture INSTANCE = new Http2HeadersCapture();

  private Http2HeadersCapture() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Http2HeadersFrame frame) {
      // The first block is the request; a later one would be trailers (RFC 9113 8.1).
      ctx.channel().attr(HEADERS).setIfAbsent(frame.headers());
    }
    ctx.fireChannelRead(msg);
  }
}
