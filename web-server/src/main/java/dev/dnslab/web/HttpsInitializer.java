package dev.dnslab.web;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;

/**
 * Port 443: TLS first, choosing each site's certificate by the SNI name the client sends (RFC 6066
 * 3), then ALPN decides between HTTP/2 and HTTP/1.1 (see {@link WebProtocolNegotiator}): each HTTP/2
 * stream is answered by the same request handler as an HTTP/1.1 connection.
 */
final class HttpsInitializer extends ChannelInitializer<SocketChannel> {
  private final Mapping<String, SslContext> certificates;
  private final WebPipeline pipeline;
  private final WebRequestHandler handler;

  HttpsInitializer(Mapping<String, SslContext> certificates, WebPipeline pipeline, WebRequestHandler handler) {
    this.certificates = certificates;
    this.pipeline = pipeline;
    this.handler = handler;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    pipeline.addIdleTimeout(ch.pipeline());
    ch.pipeline()
        .addLast("tls", new SniHandler(certificates))
        .addLast("alpn", new WebProtocolNegotiator(pipeline, handler));
  }
}
