package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a stream connection (TCP, DNS over TLS, DNS over HTTPS) with no traffic for the idle
 * timeout, unless a query on it is still being answered: RFC 7766 6.2.3 asks servers to close idle
 * connections, and to a server a connection is idle once it "has sent responses to all the queries
 * it has received on that connection" (RFC 7766 3; RFC 1035 4.2.2: close only once "all
 * outstanding client requests have been satisfied"). A slow resolution is not the client's
 * idleness. The clock is Netty's all-idle one: a read or a completed write restarts it, so a
 * connection whose answer went out late gets the whole timeout from then. Whether a query is in
 * flight is what {@link TcpConnectionLimiter.StreamActivity} counts for eviction: one count, so the
 * two cannot disagree. Whoever answers marks the answer sent on the connection's event loop, after
 * writing it, so a check here never sees a connection idle whose answer is still on its way.
 *
 * <p>A TLS handshake still under way is left to the TLS handler's own handshake timeout, which the
 * listener sets to this timeout (see {@link dev.dnslab.core.tls.ServerTlsContext}). {@code
 * channel().close()} runs the whole pipeline, so an HTTP/2 connection says GOAWAY first (RFC 9113
 * 6.8).
 */
public final class IdleConnectionTimeout extends IdleStateHandler {
  private static final Logger log = LoggerFactory.getLogger(IdleConnectionTimeout.class);

  private final Transport transport;

  /** @param timeout positive, as the servers' builders check it (Netty takes 0 for no timeout) */
  public IdleConnectionTimeout(Duration timeout, Transport transport) {
    super(0, 0, requireNonNull(timeout, "timeout").toMillis(), TimeUnit.MILLISECONDS);
    this.transport = requireNonNull(transport, "transport");
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
    TcpConnectionLimiter.StreamActivity activity = TcpConnectionLimiter.activity(ctx.channel());
    if (activity != null && activity.busy()) {
      // Looked at again a whole timeout later; the answer's write restarts the clock before that.
      return;
    }
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls != null && !tls.handshakeFuture().isDone()) {
      return;
    }
    log.debug("closing idle {} connection from {}", transport.tag(), ctx.channel().remoteAddress());
    ctx.channel().close();
  }
}
