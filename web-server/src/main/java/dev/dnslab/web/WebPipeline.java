package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.IdleConnectionCloser;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.StandardCompressionOptions;

/**
 * The handlers every connection gets, in one place, so the HTTP/1.1, HTTPS and HTTP/2 initializers
 * only choose which of them to add; HTTP/2's {@link Http2RequestHandler} takes the same compressor,
 * aggregator and request deadline from here.
 */
final class WebPipeline {
  /** Below this size gzip costs more than it saves (and a 304 has no body at all). */
  private static final int COMPRESS_ABOVE_BYTES = 256;

  private final WebLimits limits;
  private final WebMetrics metrics;

  WebPipeline(WebLimits limits, WebMetrics metrics) {
    this.limits = requireNonNull(limits, "limits");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  long maxHeaderBytes() {
    return limits.maxHeaderBytes();
  }

  /** First in every connection: close it after {@code idleTimeout} without traffic. */
  void addIdleTimeout(ChannelPipeline pipeline) {
    pipeline.addLast("idle", new IdleConnectionCloser(limits.idleTimeout()));
  }

  /** HTTP/1.x after the transport (plain TCP or TLS): HttpServerCodec's work, and the short way's pre-encoded answers. */
  void addHttp1(ChannelPipeline pipeline, WebRequestHandler handler) {
    SlowRequestGuard guard = newRequestDeadline();
    pipeline
        .addLast("request-deadline", guard.bytesWatcher())
        .addLast("http", new Http1ServerCodec(limits.maxRequestLineBytes(), limits.maxHeaderBytes(), 8192))
        .addLast("request-complete", guard.requestWatcher());
    addExchange(pipeline, handler);
  }

  /** One per HTTP/1.x connection. */
  SlowRequestGuard newRequestDeadline() {
    return new SlowRequestGuard(limits.requestTimeout(), this::requestTimedOut);
  }

  WebLimits limits() {
    return limits;
  }

  void requestTimedOut() {
    metrics.rejected("request-timeout");
  }

  /**
   * One per connection: gzip or deflate as the request's Accept-Encoding asks. The file cache's
   * pre-built gzip bodies come from one of these too, so they are the very bytes it sends.
   */
  static ResponseCompressor newCompressor() {
    return new ResponseCompressor(
        COMPRESS_ABOVE_BYTES, StandardCompressionOptions.gzip(), StandardCompressionOptions.deflate());
  }

  /** One per request body in progress: 100-continue, and 413 past the body limit. */
  BodyLimitAggregator newAggregator() {
    return new BodyLimitAggregator(limits.maxBodyBytes(), metrics);
  }

  /**
   * After the HTTP/1.x codec: the short way for a plain GET or HEAD of a file, then HEAD's content
   * removed after gzip has set GET's header fields, gzip, aggregation, the request handler.
   */
  private void addExchange(ChannelPipeline pipeline, WebRequestHandler handler) {
    pipeline
        .addLast("bodiless", new BodilessRequestResponder(handler))
        .addLast("head", new HeadContentRemover())
        .addLast("gzip", newCompressor())
        .addLast("aggregate", newAggregator())
        .addLast("request", handler);
  }
}
