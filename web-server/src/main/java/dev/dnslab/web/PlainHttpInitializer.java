package dev.dnslab.web;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/** Port 80: HTTP/1.1 in clear text. Only wires handlers. */
final class PlainHttpInitializer extends ChannelInitializer<SocketChannel> {
  private final WebPipeline pipeline;
  private final WebRequestHandler handler;

  PlainHttpInitializer(WebPipeline pipeline, WebRequestHandler handler) {
    this.pipeline = pipeline;
    this.handler = handler;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    pipeline.addIdleTimeout(ch.pipeline());
    pipeline.addHttp1(ch.pipeline(), handler);
  }
}
