package dev.dnslab.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * After the TLS handshake: "h2" gets Netty's HTTP/2 frame codec with one child channel per stream
 * (each running the same request handler as HTTP/1.1); anything else, including a client that
 * offers no ALPN at all, gets HTTP/1.1 (RFC 7301 3.2).
 */
final class HttpsProtocolNegotiator extends ApplicationProtocolNegotiationHandler {
  private final WebPipeline pipeline;
  private final WebRequestHandler handler;

  HttpsProtocolNegotiator(WebPipeline pipeline, WebRequestHandler handler) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.pipeline = pipeline;
    this.handler = handler;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      ctx.pipeline()
          .addLast(
              "h2",
              Http2FrameCodecBuilder.forServer()
                  .initialSettings(Http2Settings.defaultSettings().maxHeaderListSize(pipeline.maxHeaderBytes()))
                  .build())
          .addLast("h2-streams", new Http2MultiplexHandler(new Http2StreamInitializer(pipeline, handler)));
      return;
    }
    pipeline.addHttp1(ctx.pipeline(), handler);
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    // Usually a client that does not trust the lab CA: its own error says so; nothing to log loudly.
    ctx.close();
  }
}
