package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.tls.ServerTlsContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Wires a stream connection: cap, idle timeout, optional TLS (RFC 7858), the 2-byte length framing
 * of RFC 1035 4.2.2 (Netty's codecs, not hand-written), then the query handler. Only wiring here.
 */
final class TcpChannelInitializer extends ChannelInitializer<SocketChannel> {
  private static final int LENGTH_PREFIX = 2;

  /** Most answers held back before a flush even in the middle of one read. */
  private static final int FLUSH_BATCH = 64;

  private final TcpConnectionLimiter limiter;
  private final QueryProcessor processor;
  private final Duration idleTimeout;
  /** The TLS context, asked for at each connection (it may be built at the first); null for plain TCP. */
  private final ServerTlsContext tls;

  TcpChannelInitializer(
      TcpConnectionLimiter limiter, QueryProcessor processor, Duration idleTimeout, Supplier<SslContext> tls) {
    this.limiter = requireNonNull(limiter, "limiter");
    this.processor = requireNonNull(processor, "processor");
    this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
    this.tls = tls != null ? new ServerTlsContext("DoT", tls, idleTimeout) : null;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast("limit", limiter);
    pipeline.addLast("idle", new IdleConnectionCloser(idleTimeout));
    // A context that cannot be built (a broken stored lab CA) closed the connection, with one line.
    if (tls != null && !tls.addHandler(channel)) {
      return;
    }
    Transport transport = tls != null ? Transport.TLS : Transport.TCP;
    // Answers written while one read's queries are handled (a client pipelining them, RFC 7766
    // 6.2.1.1) leave with one flush when that read completes: one write(2), and over TLS a few
    // records instead of one record each. An answer ready outside a read (a recursor's, later) is
    // flushed at once.
    pipeline.addLast("flush", new FlushConsolidationHandler(FLUSH_BATCH, false));
    pipeline.addLast("frame-decoder", new TcpFrameDecoder(processor.metrics()));
    pipeline.addLast("frame-encoder", new LengthFieldPrepender(LENGTH_PREFIX));
    pipeline.addLast("query", new TcpQueryHandler(processor, transport));
  }
}
