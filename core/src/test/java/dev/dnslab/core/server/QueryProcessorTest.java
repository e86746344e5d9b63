package dev.dnslab.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.handler.MetricsHandler;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.wire.ResponseSizeLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What a query costs the server when a handler fails, and what it counts when it succeeds: a
 * handler that throws, or whose stage fails after the datagram was read, costs the client a
 * SERVFAIL, never its answer; an answer that completes later is sent once and counted once.
 */
class QueryProcessorTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

  private final DnsMetrics metrics = new DnsMetrics(new SimpleMeterRegistry(), "test");

  private QueryProcessor answering(DnsHandler... handlers) {
    return new QueryProcessor(HandlerChain.of(handlers), metrics, ResponseSizeLimit.DEFAULT_EDNS_UDP);
  }

  private static byte[] query(int id) {
    Message query = Message.newQuery(Record.newRecord(Name.fromConstantString("example."), Type.A, DClass.IN));
    query.getHeader().setID(id);
    return query.toWire();
  }

  private static DatagramPacket datagram(int id) {
    return new DatagramPacket(Unpooled.wrappedBuffer(query(id)), SERVER, CLIENT);
  }

  private static Message read(DatagramPacket answer) throws Exception {
    assertThat(answer).as("an answer was sent").isNotNull();
    try {
      assertThat(answer.recipient()).isEqualTo(CLIENT);
      return new Message(ByteBufUtil.getBytes(answer.content()));
    } finally {
      answer.release();
    }
  }

  private double count(String name) {
    return metrics.registry().find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  @Test
  void aHandlerStageThatFailsAfterTheReadIsAnsweredServfailOverUdp() throws Exception {
    CompletableFuture<Message> later = new CompletableFuture<>();
    EmbeddedChannel channel = new EmbeddedChannel(new UdpQueryHandler(answering((request, next) -> later), 64));

    channel.writeInbound(datagram(11));
    assertThat((Object) channel.readOutbound()).isNull();
    later.completeExceptionally(new IllegalStateException("upstream path broke"));
    channel.runPendingTasks();

    Message answer = read(channel.readOutbound());
    assertThat(answer.getHeader().getID()).isEqualTo(11);
    assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat((Object) channel.readOutbound()).as("one answer per query").isNull();
    channel.finishAndReleaseAll();
  }

  @Test
  void aHandlerThatThrowsIsAnsweredServfailOverUdp() throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel(new UdpQueryHandler(answering((request, next) -> {
      throw new IllegalStateException("handler bug");
    }), 64));

    channel.writeInbound(datagram(12));

    Message answer = read(channel.readOutbound());
    assertThat(answer.getHeader().getID()).isEqualTo(12);
    assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL);
    channel.finishAndReleaseAll();
  }

  @Test
  void aHandlerStageThatFailsLaterIsAnsweredServfailOverStreams() throws Exception {
    CompletableFuture<Message> later = new CompletableFuture<>();
    CompletableFuture<List<byte[]>> answered =
        answering((request, next) -> later).process(query(13), Transport.TCP, CLIENT, SERVER).toCompletableFuture();

    later.completeExceptionally(new IllegalStateException("upstream path broke"));

    List<byte[]> messages = answered.get(5, TimeUnit.SECONDS);
    assertThat(messages).hasSize(1);
    Message answer = new Message(messages.get(0));
    assertThat(answer.getHeader().getID()).isEqualTo(13);
    assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void anAnswerThatCompletesAfterTheReadIsSentOnceAndCountedOnce() throws Exception {
    CompletableFuture<Message> later = new CompletableFuture<>();
    DnsRequest[] asked = new DnsRequest[1];
    DnsHandler waiting = (request, next) -> {
      asked[0] = request;
      return later;
    };
    EmbeddedChannel channel =
        new EmbeddedChannel(new UdpQueryHandler(answering(new MetricsHandler(metrics), waiting), 64));

    channel.writeInbound(datagram(14));
    assertThat(count(DnsMetrics.RESPONSES)).isZero();
    later.complete(asked[0].newResponse(Rcode.NXDOMAIN));
    channel.runPendingTasks();

    Message answer = read(channel.readOutbound());
    assertThat(answer.getHeader().getID()).isEqualTo(14);
    assertThat(answer.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat((Object) channel.readOutbound()).as("one answer per query").isNull();
    assertThat(count(DnsMetrics.REQUESTS)).isEqualTo(1.0);
    assertThat(count(DnsMetrics.RESPONSES)).isEqualTo(1.0);
    channel.finishAndReleaseAll();
  }
}
