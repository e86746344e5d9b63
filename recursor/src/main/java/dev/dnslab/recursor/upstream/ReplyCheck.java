package dev.dnslab.recursor.upstream;

import dev.dnslab.core.client.DnsQuestion;
import dev.dnslab.core.server.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;

/**
 * What a reply must be to answer one query, and the result that waits for it: whichever socket
 * code reads the replies (over UDP a DatagramChannel on NIO, {@link EpollUdpQuery} on epoll; over
 * TCP core's {@link dev.dnslab.core.client.TcpExchange}, where a reply that fails the check fails the
 * exchange).
 */
final class ReplyCheck {
  private static final Logger log = LoggerFactory.getLogger(ReplyCheck.class);

  private final Message query;
  private final byte[] wire;
  private final InetSocketAddress server;
  private final UpstreamCookies cookies;
  private final long started;
  private final CompletableFuture<UpstreamReply> result;

  /** A check of the replies to {@code query}, sent as {@code wire}. */
  ReplyCheck(Message query, byte[] wire, InetSocketAddress server, UpstreamCookies cookies, long started,
      CompletableFuture<UpstreamReply> result) {
    this.query = query;
    this.wire = wire;
    this.server = server;
    this.cookies = cookies;
    this.started = started;
    this.result = result;
  }

  InetSocketAddress server() {
    return server;
  }

  CompletableFuture<UpstreamReply> result() {
    return result;
  }

  /**
   * The reply {@code datagram} from {@code sender} over {@code transport} makes, or null when it is
   * not one: over UDP it is then ignored and the wait goes on. RFC 5452 9.1: only a reply from the
   * address and port we asked, with our ID and question, is accepted; anything else is a spoofing
   * attempt or a late reply.
   */
  UpstreamReply reply(InetSocketAddress sender, byte[] datagram, Transport transport) {
    if (!sender.equals(server)) {
      log.debug("ignoring datagram from {} (asked {})", sender, server);
      return null;
    }
    // Same ID and question, the name without letter case (RFC 4343); whether the case came back
    // as sent (0x20) is told apart below (questionAsSent).
    Message reply = DnsQuestion.parse(datagram);
    if (reply == null || !DnsQuestion.sameIdAndQuestion(query, reply)) {
      log.debug("ignoring non-matching reply from {}", server);
      return null;
    }
    // RFC 7873 5.3: a reply with a client cookie that is not ours was not sent to us.
    if (!cookies.accepts(reply, server.getAddress())) {
      log.debug("ignoring reply from {} with another client's cookie", server);
      return null;
    }
    return new UpstreamReply(reply, server, transport, Duration.ofNanos(System.nanoTime() - started),
        questionAsSent(wire, datagram));
  }

  /**
   * Whether the question name in {@code reply} is the one in {@code query}, byte for byte (0x20
   * needs the letter case echoed exactly). Compared on the wire, where each message has it right
   * after the header (the first name of a message is never compressed): Name.equals ignores case,
   * and the Name objects show their bytes only as new copies. Both are messages whose question
   * matched (same name, ignoring case), so the query's name length bounds the reply's.
   */
  private static boolean questionAsSent(byte[] query, byte[] reply) {
    int end = Header.LENGTH;
    while (end < query.length && query[end] != 0) {
      end += (query[end] & 0xff) + 1;
    }
    end++; // the root label
    return end <= query.length && end <= reply.length
        && Arrays.equals(query, Header.LENGTH, end, reply, Header.LENGTH, end);
  }
}
