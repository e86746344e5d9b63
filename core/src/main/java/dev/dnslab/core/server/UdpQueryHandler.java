package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.wire.PlainQuery;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one datagram, hands it to the {@link QueryProcessor}, writes the answer to the sender. One
 * per UDP socket: it counts the answers its socket holds back.
 *
 * <p>Answers are flushed together, so that with epoll one sendmmsg carries many: those written
 * while a batch of datagrams is read leave when the batch is read (or every {@code flushBatch}
 * answers), those that complete later (a recursor's answers waiting on upstreams) leave at the end
 * of the event loop's current task, with any others that complete in it. This is what Netty's
 * FlushConsolidationHandler did in front of this handler, without a pipeline step and a flush
 * call per answer.
 */
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpQueryHandler.class);

  /**
   * The size of a reused answer buffer: any answer that fits a classic UDP message (RFC 1035
   * 4.2.1), as every plain answer of the lab's zones does; a larger one takes a pooled buffer.
   */
  private static final int ANSWER_SLOT_BYTES = 512;

  private final QueryProcessor processor;
  private final int flushBatch;
  private ChannelHandlerContext ctx;
  /** Answers written and not yet flushed. Touched on the channel's event loop only. */
  private int unflushed;
  private boolean reading;
  private boolean flushScheduled;
  private final Runnable scheduledFlush = this::scheduledFlush;
  /** Where the processor hands each answer, made once rather than as a lambda per datagram. */
  private final BiConsumer<ByteBuf, InetSocketAddress> reply = this::sendLater;
  /**
   * Every datagram of this socket is read into this one query, on the channel's event loop: no query
   * object and name copy per datagram.
   */
  private final PlainQuery query = new PlainQuery();
  /**
   * What the at-once answers are written into: as many reused buffers as answers are held back
   * before a flush, so the one next in turn has normally been sent (see ReusedAnswerBuffers).
   */
  private ReusedAnswerBuffers answerBuffers;

  UdpQueryHandler(QueryProcessor processor, int flushBatch) {
    this.processor = requireNonNull(processor, "processor");
    if (flushBatch < 1) {
      throw new IllegalArgumentException("flushBatch: " + flushBatch + " (expected: >= 1)");
    }
    this.flushBatch = flushBatch;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.answerBuffers = new ReusedAnswerBuffers(ctx.alloc(), flushBatch, ANSWER_SLOT_BYTES);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    answerBuffers.release();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    reading = true;
    InetSocketAddress client = packet.sender();
    // Straight from the received buffer, and written into a reused one: no copy to the heap.
    ByteBuf known = processor.answerAtOnce(packet.content(), query, Transport.UDP, client, answerBuffers);
    if (known != null) {
      send(known, client);
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(packet.content());
    InetSocketAddress server =
        packet.recipient() != null ? packet.recipient() : (InetSocketAddress) ctx.channel().localAddress();
    processor.processDatagram(bytes, client, server, ctx.alloc(), reply);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    flushHeldBack();
    ctx.fireChannelReadComplete();
  }

  /**
   * A void promise: nobody waits on a datagram's write, and a failed one reaches exceptionCaught
   * below instead of allocating a promise per answer.
   */
  private void send(ByteBuf wire, InetSocketAddress client) {
    if (wire == null) {
      return;
    }
    ctx.write(new DatagramPacket(wire, client), ctx.voidPromise());
    if (++unflushed >= flushBatch) {
      flushHeldBack();
    } else if (!reading && !flushScheduled) {
      flushScheduled = true;
      ctx.executor().execute(scheduledFlush);
    }
  }

  /** An answer, ready during its read or completed after it, maybe on another thread. */
  private void sendLater(ByteBuf wire, InetSocketAddress client) {
    if (ctx.executor().inEventLoop()) {
      send(wire, client);
    } else {
      ctx.executor().execute(() -> send(wire, client));
    }
  }

  private void scheduledFlush() {
    flushScheduled = false;
    flushHeldBack();
  }

  private void flushHeldBack() {
    if (unflushed > 0) {
      unflushed = 0;
      ctx.flush();
      answerBuffers.rewind();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket error (e.g. ICMP port unreachable surfacing as PortUnreachableException) belongs
    // to one peer, never to the server: log it and keep the channel open.
    log.debug("udp channel error on {}: {}", ctx.channel().localAddress(), cause.toString());
  }
}
