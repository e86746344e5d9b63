package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.wire.DecodedPacket;
import dev.dnslab.core.wire.DnsQueryDecoder;
import dev.dnslab.core.wire.DnsResponseEncoder;
import dev.dnslab.core.wire.ResponseSizeLimit;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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

  public QueryProcessor(HandlerChain chain, DnsMetrics metrics, int udpPayloadMax) {
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
   * Answers one packet. The stage completes with the wire messages to send back in order (one for
   * ordinary responses, several for a large zone transfer over a stream) or an empty list when the
   * packet is dropped. It never completes exceptionally.
   */
  public CompletionStage<List<byte[]>> process(
      byte[] packet, Transport transport, InetSocketAddress client, InetSocketAddress server) {
    DecodedPacket decoded = DnsQueryDecoder.decode(packet);
    if (decoded instanceof DecodedPacket.Dropped dropped) {
      metrics.malformed(dropped.reason());
      return CompletableFuture.completedFuture(List.of());
    }
    if (decoded instanceof DecodedPacket.Rejected rejected) {
      metrics.malformed(rejected.reason());
      return CompletableFuture.completedFuture(
          List.of(DnsResponseEncoder.encode(rejected.response(), ResponseSizeLimit.CLASSIC_UDP)));
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
    return chain.handle(request).thenApply(response -> encodeOrServfail(request, response));
  }

  /**
   * The response as wire format, or SERVFAIL when it cannot be written: a record relayed or cached
   * from a hostile upstream can carry data dnsjava reads but cannot write back (a WKS record with no
   * services throws inside dnsjava), and that must cost the client an answer, not the server its
   * promise to always answer.
   */
  private List<byte[]> encodeOrServfail(DnsRequest request, Message response) {
    try {
      return encode(request, response);
    } catch (RuntimeException e) {
      log.debug("cannot write the response to {}: {}; answering SERVFAIL", request, e.toString());
      Message servfail = request.newResponse(Rcode.SERVFAIL);
      if (response.getHeader().getFlag(Flags.RA)) {
        servfail.getHeader().setFlag(Flags.RA);
      }
      return encode(request, servfail);
    }
  }

  private List<byte[]> encode(DnsRequest request, Message response) {
    if (request.transport().isStream()) {
      return DnsResponseEncoder.encodeForStream(response);
    }
    byte[] wire = DnsResponseEncoder.encode(response, request.responseSizeLimit());
    if (DnsResponseEncoder.isTruncated(wire)) {
      metrics.truncated();
    }
    return List.of(wire);
  }
}
