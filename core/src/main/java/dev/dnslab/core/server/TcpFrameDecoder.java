package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.wire.MalformedReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.util.List;

/**
 * The two-byte length framing of DNS over TCP (RFC 1035 4.2.2, RFC 7766 8), by Netty's decoder.
 * When the connection ends inside a frame (the prefix announced more bytes than arrived before the
 * client closed, or before the idle timeout closed it), the partial message is counted as {@link
 * MalformedReason#TRUNCATED_FRAME} and dropped: there is no whole query to answer.
 */
final class TcpFrameDecoder extends LengthFieldBasedFrameDecoder {
  private static final int LENGTH_PREFIX = 2;

  /** The largest message the 16-bit prefix can announce, plus the prefix itself. */
  private static final int MAX_FRAME = 65535 + LENGTH_PREFIX;

  private final DnsMetrics metrics;

  TcpFrameDecoder(DnsMetrics metrics) {
    super(MAX_FRAME, 0, LENGTH_PREFIX, 0, LENGTH_PREFIX);
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    super.decodeLast(ctx, in, out);
    if (in.isReadable()) {
      metrics.malformed(MalformedReason.TRUNCATED_FRAME);
      in.skipBytes(in.readableBytes());
    }
  }
}
