package dev.dnslab.recursor.upstream;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xbill.DNS.Message;

/** A reply that matched our query's ID, source address and question. */
public record UpstreamReply(Message message, InetSocketAddress server, Transport transport, Duration rtt) {
  public UpstreamReply {
    requireNonNull(message, "message");
    requireNonNull(server, "server");
    requireNonNull(transport, "transport");
    requireNonNull(rtt, "rtt");
  }
}
