package dev.dnslab.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * Each HTTP/2 stream: a request deadline (a stream whose body never ends gets 408, as on HTTP/1.1),
 * keep the raw header block, convert frames to a request, then the shared path.
 */
final class Http2StreamInitializer extends ChannelInitializer<Channel> {
  /** Sharable and stateless: one for every stream rather than one per stream. */
  private static final Http2StreamFrameToHttpObjectCodec H2_TO_HTTP = new Http2StreamFrameToHttpObjectCodec(true);

  private final WebPipeline pipeline;
  private final WebRequestHandler handler;

  Http2StreamInitializer(WebPipeline pipeline, WebRequestHandler handler) {
    this.pipeline = pipeline;
    this.handler = handler;
  }

  @Override
  protected void initChannel(Channel stream) {
    SlowRequestGuard guard = pipeline.newRequestDeadline();
    stream
        .pipeline()
        .addLast("request-deadline", guard.bytesWatcher())
        .addLast("h2-headers", Http2HeadersCapture.INSTANCE)
        .addLast("h2-to-http", H2_TO_HTTP)
        .addLast("request-complete", guard.requestWatcher());
    pipeline.addExchange(stream.pipeline(), handler);
  }
}
