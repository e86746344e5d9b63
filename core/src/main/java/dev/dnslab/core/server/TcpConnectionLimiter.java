package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.metrics.DnsMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps concurrent stream connections (RFC 7766 6.2.2: a server must limit the resources one set of
 * clients can hold). A connection over the cap is closed at once and counted.
 */
@ChannelHandler.Sharable
final class TcpConnectionLimiter extends ChannelInboundHandlerAdapter {
  private final int maxConnections;
  private final DnsMetrics metrics;
  private final AtomicInteger open = new AtomicInteger();

  TcpConnectionLimiter(int maxConnections, DnsMetrics metrics) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
    }
    this.maxConnections = maxConnections;
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      metrics.tcpRejected();
      ctx.close();
      return;
    }
    metrics.tcpConnectionOpened();
    ctx.channel().closeFuture().addListener(f -> {
      open.decrementAndGet();
      metrics.tcpConnectionClosed();
    });
    super.channelActive(ctx);
  }
}
