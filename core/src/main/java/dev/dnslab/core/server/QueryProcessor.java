package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.wire.DecodedPacket;
import dev.dnslab.core.wire.DnsQueryDecoder;
import dev.dnslab.core.wire.DnsResponseEncoder;
import dev.dnslab.core.wire.PlainQuery;
import dev.dnslab.core.wire.ResponseSizeLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * The one-way request path shared by every transport: decode, run the handler chain, encode. UDP,
 * TCP, DoT and DoH differ only in how bytes arrive and leave, never in how a query is answered.
 */
public final class QueryProcessor {
  private static final Logger log = LoggerFactory.getLogger(QueryProcessor.class);

  private final HandlerChain chain;
  private final DnsMetrics metrics;
  private final int udpPayloadMax;
  private final AnswerShortcut shortcut;

  public QueryProcessor(HandlerChain chain, DnsMetrics metrics, int udpPayloadMax) {
    this(chain, metrics, udpPayloadMax, null);
  }

  /** A processor that first offers each plain query to {@code shortcut}, when not null. */
  public QueryProcessor(HandlerChain chain, DnsMetrics metrics, int udpPayloadMax, AnswerShortcut shortcut) {
    this.shortcut = shortcut;
    this.chain = requireNonNull(chain, "chain");
    this.metrics = requireNonNull(metrics, "metrics");
    if (udpPayloadMax < ResponseSizeLimit.CLASSIC_UDP || udpPayloadMax > 65535) {
      throw new IllegalArgumentException(
          "udpPayloadMax: " + udpPayloadMax + " (expected: 512..65535)");
    }
    this.udpPayloadMax = udpPayloadMax;
  }

  public DnsMetrics metrics() {
    return metrics;
  }

  /**
   * The answer to {@code packet} (its readable bytes, left unread) from the {@link AnswerShortcut},
   * in a buffer from {@code alloc} that the caller sends, or null when the packet must go to {@link
   * #process} or {@link #processDatagram}: there is no shortcut, the packet is not a {@link
   * PlainQuery}, or the shortcut has no answer for it. The packet is read into {@code query}, which
   * the caller owns and may give every packet of a socket or connection (only the question name is
   * copied out of the packet): once this returns, nothing here or in the shortcut holds on to it.
   * {@code client} is the sender, as {@link #process} would be given it.
   */
  public ByteBuf answerAtOnce(
      ByteBuf packet, PlainQuery query, Transport transport, InetSocketAddress client, ByteBufAllocator alloc) {
    if (shortcut == null || !query.readFrom(packet)) {
      return null;
    }
    int limit = ResponseSizeLimit.of(query.ednsPayload(), transport, udpPayloadMax);
    return shortcut.answer(query, transport, client, limit, alloc);
  }

  /**
   * Answers one packet. The stage completes with the wire messages to send back in order (one for
   * ordinary responses, several for a large zone transfer over a stream) or an empty list when the
   * packet is dropped. It never completes exceptionally.
   */
  public CompletionStage<List<byte[]>> process(
      byte[] packet, Transport transport, InetSocketAddress client, InetSocketAddress server) {
    return answer(packet, transport, client, server, List.of(),
        (response, limit) -> encode(transport, response, limit), null);
  }

  /**
   * Answers one UDP datagram like {@link #process}: the answer, written into a buffer from {@code
   * alloc}, is handed to {@code reply} with {@code client}, once, on the thread that completed it
   * (the caller's own when the answer is ready at once), and {@code reply} sends (and so releases)
   * it; a dropped packet is never handed over. The send is made in the stage that encodes the
   * answer, not in a stage of its own after it: one stage less for every query that waits.
   */
  public void processDatagram(byte[] packet, InetSocketAddress client, InetSocketAddress server,
      ByteBufAllocator alloc, BiConsumer<ByteBuf, InetSocketAddress> reply) {
    answer(packet, Transport.UDP, client, server, null, (response, limit) -> {
      ByteBuf wire = DnsResponseEncoder.encode(response, limit, alloc);
      if (DnsResponseEncoder.isTruncated(wire)) {
        metrics.truncated();
      }
      return wire;
    }, requireNonNull(reply, "reply"));
  }

  /** How one transport wants a response written: never longer than the limit given. */
  @FunctionalInterface
  private interface Encoding<T> {
    T encode(Message response, int limit);
  }

  /**
   * Decodes, runs the chain and encodes; the encoded answer goes to {@code delivery} when there is
   * one (the stage then completes with null), else it completes the stage. A failure of the chain
   * is answered SERVFAIL ({@link HandlerChain#failed}) in the stage that encodes, one stage where
   * {@link HandlerChain#handle} and an encoding stage after it would make two.
   */
  private <T> CompletionStage<T> answer(
      byte[] packet, Transport transport, InetSocketAddress client, InetSocketAddress server, T dropped,
      Encoding<T> encoding, BiConsumer<T, InetSocketAddress> delivery) {
    DecodedPacket decoded = DnsQueryDecoder.decode(packet);
    if (decoded instanceof DecodedPacket.Dropped droppedPacket) {
      metrics.malformed(droppedPacket.reason());
      return CompletableFuture.completedFuture(dropped);
    }
    if (decoded instanceof DecodedPacket.Rejected rejected) {
      metrics.malformed(rejected.reason());
      return CompletableFuture.completedFuture(
          delivered(encoding.encode(rejected.response(), ResponseSizeLimit.CLASSIC_UDP), client, delivery));
    }
    Message query = ((DecodedPacket.Query) decoded).message();
    DnsRequest request =
        new DnsRequest(
            query,
            transport,
            client,
            server,
            ResponseSizeLimit.of(query, transport, udpPayloadMax),
            System.nanoTime());
    CompletionStage<Message> response = chain.start(request);
    Message ready = ReadyStage.valueOrNull(response);
    if (ready != null) {
      return CompletableFuture.completedFuture(delivered(encodeOrServfail(request, ready, encoding), client, delivery));
    }
    return response.handle((answer, failure) -> delivered(
        encodeOrServfail(request, failure == null ? answer : HandlerChain.failed(request, failure), encoding),
        client, delivery));
  }

  /** {@code wire} handed to {@code delivery} (then null), or {@code wire} itself when there is none. */
  private static <T> T delivered(T wire, InetSocketAddress client, BiConsumer<T, InetSocketAddress> delivery) {
    if (delivery == null) {
      return wire;
    }
    delivery.accept(wire, client);
    return null;
  }

  /**
   * The response as wire format, or SERVFAIL when it cannot be written: a record relayed or cached
   * from a hostile upstream can carry data dnsjava reads but cannot write back (a WKS record with no
   * services throws inside dnsjava), and that must cost the client an answer, not the server its
   * promise to always answer.
   */
  private static <T> T encodeOrServfail(DnsRequest request, Message response, Encoding<T> encoding) {
    try {
      return encoding.encode(response, request.responseSizeLimit());
    } catch (RuntimeException e) {
      log.debug("cannot write the response to {}: {}; answering SERVFAIL", request, e.toString());
      Message servfail = request.newResponse(Rcode.SERVFAIL);
      if (response.getHeader().getFlag(Flags.RA)) {
        servfail.getHeader().setFlag(Flags.RA);
      }
      return encoding.encode(servfail, request.responseSizeLimit());
    }
  }

  private List<byte[]> encode(Transport transport, Message response, int limit) {
    if (transport.isStream()) {
      return DnsResponseEncoder.encodeForStream(response);
    }
    byte[] wire = DnsResponseEncoder.encode(response, limit);
    if (DnsResponseEncoder.isTruncated(wire)) {
      metrics.truncated();
    }
    return List.of(wire);
  }
}
