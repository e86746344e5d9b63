package dev.dnslab.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the TLS handshake of the HTTPS port: "h2" gets one {@link Http2RequestHandler} for the whole
 * connection; anything else, including a client that offers no ALPN at all, gets the HTTP/1.1
 * handlers (RFC 7301 3.2). Only wires. The recursor's DoH server negotiates for itself in the same
 * way: each server answers HTTP/2 frames on one handler per connection, without a child channel per
 * stream, whose cost a page's many small requests should not pay.
 */
final class WebProtocolNegotiator extends ApplicationProtocolNegotiationHandler {
  private static final Logger log = LoggerFactory.getLogger(WebProtocolNegotiator.class);

  private final WebPipeline pipeline;
  private final WebRequestHandler handler;

  WebProtocolNegotiator(WebPipeline pipeline, WebRequestHandler handler) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.pipeline = pipeline;
    this.handler = handler;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      Http2Settings settings = Http2Settings.defaultSettings().maxHeaderListSize(pipeline.maxHeaderBytes());
      ctx.pipeline().addLast("h2", Http2RequestHandler.forConnection(settings, handler, pipeline));
      return;
    }
    pipeline.addHttp1(ctx.pipeline(), handler);
  }

  /**
   * Before ALPN, a DecoderException whose cause is not the TLS engine's is the SNI handler failing
   * to get the site's certificate: in the lab, a stored CA that its first use found broken (a key
   * that is not its certificate's). One line with the reason, then the connection closes; Netty's
   * handler logged it as two stack traces, three times per connection. Everything else goes as
   * Netty sends it.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    Throwable reason = cause.getCause();
    if (cause instanceof DecoderException && reason != null && !(reason instanceof SSLException)) {
      // The SNI handler asks again for the bytes it still holds as the channel closes: once a line.
      if (ctx.channel().isActive()) {
        log.warn("HTTPS connection from {} closed: {}: {}", ctx.channel().remoteAddress(), cause.getMessage(), reason.getMessage());
        ctx.close();
      }
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    // Usually a client that does not trust the lab CA: its own error says so; nothing to log loudly.
    log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
