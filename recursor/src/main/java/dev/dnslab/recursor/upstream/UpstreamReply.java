package dev.dnslab.recursor.upstream;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xbill.DNS.Message;

/**
 * A reply that matched our query's ID, source address and question.
 *
 * @param questionAsSent whether the reply's question is the query's byte for byte, letter case
 *     included: 0x20 (draft-vixie-dnsext-dns0x20) relies on the server echoing it exactly, while
 *     matching the question ignores case (RFC 4343)
 */
public record UpstreamReply(Message message, InetSocketAddress server, Transport transport, Duration rtt,
    boolean questionAsSent) {
  public UpstreamReply {
    requireNonNull(message, "message");
    requireNonNull(server, "server");
    requireNonNull(transport, "transport");
    requireNonNull(rtt, "rtt");
  }
}
