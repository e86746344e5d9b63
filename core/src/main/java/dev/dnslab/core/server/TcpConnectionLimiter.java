package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.metrics.DnsMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps concurrent stream connections (RFC 7766 6.2.2: a server must limit the resources one set of
 * clients can hold). At the cap, a new connection is admitted by closing the open connection that
 * has been idle longest (RFC 7766 6.2.3: "under heavy load", servers close idle connections; RFC
 * 9210 3.4 calls this out as the defence against clients holding connections open). A connection
 * waiting for an answer is never chosen. Only when every connection is busy is the new one closed
 * at once. Both outcomes are counted, so a flood of idle connections shows up in the metrics
 * instead of locking new clients out until the idle timeout.
 *
 * <p>The first handler of every stream listener: plain TCP and DNS over TLS ({@link DnsServer}) and
 * DNS over HTTPS (the recursor's DoH server, RFC 9210 3.4 asks the same of it). Whoever answers on
 * the connection marks each query with {@link StreamActivity#queryReceived()} and {@link
 * StreamActivity#answerSent()}, which keeps a connection being served from eviction.
 */
@ChannelHandler.Sharable
public final class TcpConnectionLimiter extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TcpConnectionLimiter.class);

  private static final AttributeKey<StreamActivity> ACTIVITY =
      AttributeKey.valueOf(TcpConnectionLimiter.class, "activity");

  private final int maxConnections;
  private final DnsMetrics metrics;
  private final Transport transport;
  // Guarded by this. At most maxConnections entries, so a scan for the idlest is cheap (256 by
  // default) and happens only under pressure.
  private final Set<StreamActivity> open = new HashSet<>();

  public TcpConnectionLimiter(int maxConnections, DnsMetrics metrics, Transport transport) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
    }
    this.maxConnections = maxConnections;
    this.metrics = requireNonNull(metrics, "metrics");
    this.transport = requireNonNull(transport, "transport");
  }

  /** The activity record of a connection this limiter admitted, or null for any other channel. */
  public static StreamActivity activity(Channel channel) {
    return channel.attr(ACTIVITY).get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    StreamActivity admitted = new StreamActivity(ctx.channel(), System.nanoTime());
    StreamActivity evicted;
    synchronized (this) {
      evicted = open.size() >= maxConnections ? idlest() : null;
      if (open.size() >= maxConnections && evicted == null) {
        metrics.tcpRejected(transport.tag());
        ctx.close();
        return;
      }
      if (evicted != null) {
        open.remove(evicted);
      }
      open.add(admitted);
    }
    if (evicted != null) {
      metrics.tcpEvicted(transport.tag());
      log.debug("closing {} {} idle longest to admit {}", transport.tag(), evicted.channel().remoteAddress(),
          ctx.channel().remoteAddress());
      evicted.channel().close();
    }
    ctx.channel().attr(ACTIVITY).set(admitted);
    metrics.tcpConnectionOpened();
    ctx.channel().closeFuture().addListener(f -> {
      synchronized (this) {
        open.remove(admitted);
      }
      metrics.tcpConnectionClosed();
    });
    super.channelActive(ctx);
  }

  /** The connection with no query in flight that was last active longest ago, or null. */
  private StreamActivity idlest() {
    StreamActivity idlest = null;
    for (StreamActivity candidate : open) {
      if (candidate.busy()) {
        continue;
      }
      if (idlest == null || candidate.lastActiveNanos() - idlest.lastActiveNanos() < 0) {
        idlest = candidate;
      }
    }
    return idlest;
  }

  /**
   * When a stream connection last completed a query or an answer, and how many of its queries are
   * still being answered. Partial bytes do not count as activity: a client trickling a frame one
   * byte at a time must not look busier than a real client.
   */
  public static final class StreamActivity {
    private final Channel channel;
    private volatile long lastActiveNanos;
    private final AtomicInteger inFlight = new AtomicInteger();

    StreamActivity(Channel channel, long nowNanos) {
      this.channel = channel;
      this.lastActiveNanos = nowNanos;
    }

    Channel channel() {
      return channel;
    }

    long lastActiveNanos() {
      return lastActiveNanos;
    }

    /** Whether a query on this connection is still being answered. */
    public boolean busy() {
      return inFlight.get() > 0;
    }

    public void queryReceived() {
      inFlight.incrementAndGet();
      lastActiveNanos = System.nanoTime();
    }

    public void answerSent() {
      inFlight.decrementAndGet();
      lastActiveNanos = System.nanoTime();
    }
  }
}
