package dev.dnslab.core.server;

import dev.dnslab.core.wire.PlainQuery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;

/**
 * A way past the handler chain for the queries whose answer is already known in wire form: given a
 * {@link PlainQuery}, it writes the very bytes the chain and the encoder would have sent, and counts
 * the answer as the chain's own metrics handler would. Anything it is not sure of it leaves to the
 * chain, so the chain stays the one definition of how a query is answered.
 */
@FunctionalInterface
public interface AnswerShortcut {

  /**
   * The complete answer to {@code query} arriving over {@code transport} from {@code client}, at
   * most {@code limit} bytes, in a buffer from {@code alloc} that the caller sends (and so
   * releases); null when the handler chain must answer it. The client is what handlers that judge
   * the sender (an access list, a rate limit) need to agree. Never throws for a query it cannot take.
   * The query is the caller's to reuse once this returns ({@link PlainQuery#readFrom}): a shortcut
   * that keeps anything of it keeps a copy.
   */
  ByteBuf answer(PlainQuery query, Transport transport, InetSocketAddress client, int limit, ByteBufAllocator alloc);
}
