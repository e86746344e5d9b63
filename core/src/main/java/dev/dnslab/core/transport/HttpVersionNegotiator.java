package dev.dnslab.core.transport;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the TLS handshake of an HTTPS port: "h2" gets Netty's HTTP/2 frame codec with one child
 * channel per stream, wired by {@code http2Stream}; anything else, including a client that offers
 * no ALPN at all, gets the HTTP/1.1 handlers (RFC 7301 3.2). Shared by DNS over HTTPS (RFC 8484)
 * and the web server, which differ only in the handlers after it. Only wires.
 */
public final class HttpVersionNegotiator extends ApplicationProtocolNegotiationHandler {
  private static final Logger log = LoggerFactory.getLogger(HttpVersionNegotiator.class);

  private final Http2Settings http2Settings;
  private final ChannelHandler http2Stream;
  private final Consumer<ChannelPipeline> http1;

  /**
   * @param http2Settings the SETTINGS the server sends on an HTTP/2 connection
   * @param http2Stream initializes each HTTP/2 stream's child channel (usually a {@code
   *     ChannelInitializer}, shared by all streams, so {@code @Sharable})
   * @param http1 adds the HTTP/1.1 handlers to a connection's pipeline
   */
  public HttpVersionNegotiator(
      Http2Settings http2Settings, ChannelHandler http2Stream, Consumer<ChannelPipeline> http1) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.http2Settings = requireNonNull(http2Settings, "http2Settings");
    this.http2Stream = requireNonNull(http2Stream, "http2Stream");
    this.http1 = requireNonNull(http1, "http1");
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      ctx.pipeline()
          .addLast("h2", Http2FrameCodecBuilder.forServer().initialSettings(http2Settings).build())
          .addLast("h2-streams", new Http2MultiplexHandler(http2Stream));
      return;
    }
    http1.accept(ctx.pipeline());
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    // Usually a client that does not trust the lab CA: its own error says so; nothing to log loudly.
    log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
