package dev.dnslab.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.wire.ResponseSizeLimit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * How the UDP handler hands its answers to the socket: held back while a batch of datagrams is
 * read and flushed together (one sendmmsg with epoll), never held past the batch or past the
 * flush batch size, and an answer that completes later flushed without waiting for another read.
 */
class UdpQueryHandlerTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

  /** Counts the flushes that reach the socket. */
  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int flushes;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes++;
      ctx.flush();
    }
  }

  private static QueryProcessor answering(DnsHandler handler) {
    return new QueryProcessor(
        HandlerChain.of(handler), new DnsMetrics(new SimpleMeterRegistry(), "test"), ResponseSizeLimit.DEFAULT_EDNS_UDP);
  }

  private static final DnsHandler REFUSE = (request, next) ->
      CompletableFuture.completedFuture(request.newResponse(Rcode.REFUSED));

  private static DatagramPacket query(int id) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("example."), Type.A, DClass.IN));
    query.getHeader().setID(id);
    return new DatagramPacket(Unpooled.wrappedBuffer(query.toWire()), SERVER, CLIENT);
  }

  private static int answerId(DatagramPacket answer) throws Exception {
    try {
      return new Message(io.netty.buffer.ByteBufUtil.getBytes(answer.content())).getHeader().getID();
    } finally {
      answer.release();
    }
  }

  /** Answers every plain query at once with its ID alone, written into the buffer it is given. */
  private static QueryProcessor answeringAtOnce() {
    AnswerShortcut idOnly = (query, transport, client, limit, alloc) -> alloc.ioBuffer(2).writeShort(query.id());
    return new QueryProcessor(HandlerChain.of(REFUSE), new DnsMetrics(new SimpleMeterRegistry(), "test"),
        ResponseSizeLimit.DEFAULT_EDNS_UDP, idOnly);
  }

  private static int shortcutAnswerId(DatagramPacket answer) {
    try {
      return answer.content().getUnsignedShort(answer.content().readerIndex());
    } finally {
      answer.release();
    }
  }

  @Test
  void atOnceAnswersStillQueuedKeepTheirBytesWhileLaterOnesAreWritten() throws Exception {
    // Two reused answer buffers (one per answer held back before a flush); the embedded channel
    // keeps every flushed answer queued until it is read, as a full socket send buffer would.
    EmbeddedChannel channel = new EmbeddedChannel(new UdpQueryHandler(answeringAtOnce(), 2));

    channel.writeInbound(query(1), query(2), query(3), query(4), query(5));
    for (int id = 1; id <= 5; id++) {
      assertThat(shortcutAnswerId(channel.readOutbound())).isEqualTo(id);
    }
    channel.writeInbound(query(6), query(7), query(8));
    for (int id = 6; id <= 8; id++) {
      assertThat(shortcutAnswerId(channel.readOutbound())).as("once sent, the buffers are reused").isEqualTo(id);
    }
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void eachReadBatchWritesItsAtOnceAnswersFromTheFirstReusedBufferOn() throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel(new UdpQueryHandler(answeringAtOnce(), 64));
    channel.writeInbound(query(1), query(2));
    DatagramPacket first = channel.readOutbound();
    ByteBuf firstBuffer = first.content();
    assertThat(shortcutAnswerId(first)).isEqualTo(1);
    assertThat(shortcutAnswerId(channel.readOutbound())).isEqualTo(2);

    channel.writeInbound(query(3));

    DatagramPacket next = channel.readOutbound();
    assertThat(next.content()).as("the first buffer of the batch before, sent since").isSameAs(firstBuffer);
    assertThat(shortcutAnswerId(next)).isEqualTo(3);
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void answersToOneReadBatchLeaveInOneFlushWhenTheBatchIsRead() throws Exception {
    FlushCounter counter = new FlushCounter();
    EmbeddedChannel channel = new EmbeddedChannel(counter, new UdpQueryHandler(answering(REFUSE), 64));

    channel.writeInbound(query(1), query(2), query(3));

    assertThat(counter.flushes).isEqualTo(1);
    assertThat(answerId(channel.readOutbound())).isEqualTo(1);
    assertThat(answerId(channel.readOutbound())).isEqualTo(2);
    assertThat(answerId(channel.readOutbound())).isEqualTo(3);
    channel.finishAndReleaseAll();
  }

  @Test
  void aLongReadBatchIsFlushedEveryFlushBatchAnswers() throws Exception {
    FlushCounter counter = new FlushCounter();
    EmbeddedChannel channel = new EmbeddedChannel(counter, new UdpQueryHandler(answering(REFUSE), 2));

    channel.pipeline().fireChannelRead(query(1)).fireChannelRead(query(2));
    assertThat(counter.flushes).as("flushed at the batch size, before the read ends").isEqualTo(1);
    channel.pipeline().fireChannelRead(query(3));
    assertThat(counter.flushes).isEqualTo(1);
    channel.pipeline().fireChannelReadComplete();

    assertThat(counter.flushes).isEqualTo(2);
    for (int id = 1; id <= 3; id++) {
      assertThat(answerId(channel.readOutbound())).isEqualTo(id);
    }
    channel.finishAndReleaseAll();
  }

  @Test
  void anAnswerThatCompletesAfterItsReadIsFlushedWithoutAnotherRead() throws Exception {
    CompletableFuture<Message> later = new CompletableFuture<>();
    DnsRequest[] asked = new DnsRequest[1];
    DnsHandler waiting = (request, next) -> {
      asked[0] = request;
      return later;
    };
    FlushCounter counter = new FlushCounter();
    EmbeddedChannel channel = new EmbeddedChannel(counter, new UdpQueryHandler(answering(waiting), 64));

    channel.writeInbound(query(7));
    assertThat((Object) channel.readOutbound()).isNull();

    later.complete(asked[0].newResponse(Rcode.NOERROR));
    channel.runPendingTasks();

    assertThat(counter.flushes).isEqualTo(1);
    assertThat(answerId(channel.readOutbound())).isEqualTo(7);
    channel.finishAndReleaseAll();
  }
}
