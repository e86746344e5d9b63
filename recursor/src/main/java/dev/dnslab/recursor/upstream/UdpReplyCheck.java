package dev.dnslab.recursor.upstream;

import dev.dnslab.core.server.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * What a datagram must be to answer one UDP query, and the result that waits for it: whichever
 * socket code reads the datagrams (a DatagramChannel on NIO, {@link EpollUdpQuery} on epoll).
 */
final class UdpReplyCheck {
  private static final Logger log = LoggerFactory.getLogger(UdpReplyCheck.class);

  private final Message query;
  private final InetSocketAddress server;
  private final UpstreamCookies cookies;
  private final long started;
  private final CompletableFuture<UpstreamReply> result;

  UdpReplyCheck(Message query, InetSocketAddress server, UpstreamCookies cookies, long started,
      CompletableFuture<UpstreamReply> result) {
    this.query = query;
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
   * The reply {@code datagram} from {@code sender} makes, or null when it is to be ignored and the
   * wait go on. RFC 5452 9.1: only a reply from the address and port we asked, with our ID and
   * question, is accepted; anything else is a spoofing attempt or a late reply.
   */
  UpstreamReply reply(InetSocketAddress sender, byte[] datagram) {
    if (!sender.equals(server)) {
      log.debug("ignoring datagram from {} (asked {})", sender, server);
      return null;
    }
    Message reply = UpstreamClient.parseReply(datagram);
    if (reply == null || !UpstreamClient.matches(query, reply)) {
      log.debug("ignoring non-matching reply from {}", server);
      return null;
    }
    // RFC 7873 5.3: a reply with a client cookie that is not ours was not sent to us.
    if (!cookies.accepts(reply, server.getAddress())) {
      log.debug("ignoring reply from {} with another client's cookie", server);
      return null;
    }
    return new UpstreamReply(reply, server, Transport.UDP, Duration.ofNanos(System.nanoTime() - started));
  }
}
