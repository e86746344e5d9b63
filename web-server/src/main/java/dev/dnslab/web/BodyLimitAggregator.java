package dev.dnslab.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Netty's aggregator, which answers 413 for a body over the limit (and 100-continue for one within
 * it), counting each refusal.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {
  private final WebMetrics metrics;

  BodyLimitAggregator(int maxBodyBytes, WebMetrics metrics) {
    super(maxBodyBytes);
    this.metrics = metrics;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
    metrics.rejected("body-too-large");
    super.handleOversizedMessage(ctx, oversized);
  }
}
