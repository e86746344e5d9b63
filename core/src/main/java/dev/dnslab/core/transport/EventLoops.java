package dev.dnslab.core.transport;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * A group of event loops of one transport, which several servers and clients of one role may share:
 * each registers its channels with the group, and whoever made the group shuts it down (after they
 * have closed their channels). A role whose DNS server, DoT, DoH, admin server and upstream client
 * share one group runs {@code threads} loops in all instead of a group each: the work per event is
 * short and never blocks (an answer, a TLS record, a scrape), as in Netty servers that give their
 * whole server one group.
 *
 * <pre>{@code
 * try (EventLoops loops = EventLoops.start(NettyTransport.best(), 2)) {
 *   DnsServer dns = DnsServer.builder("recursor").eventLoops(loops)...build().start();
 *   AdminServer admin = AdminServer.builder().eventLoops(loops).build().start();
 * }
 * }</pre>
 */
public final class EventLoops implements AutoCloseable {
  /** How long close() waits for the loops before giving up on them: it runs in shutdown hooks. */
  private static final long CLOSE_TIMEOUT_MILLIS = 3_000;

  private final NettyTransport transport;
  private final EventLoopGroup group;
  private final int threads;

  private EventLoops(NettyTransport transport, int threads) {
    this.transport = transport;
    this.threads = threads;
    this.group = transport.newGroup(threads);
  }

  /** A group of {@code threads} loops of {@code transport}; each loop's thread starts with its first task. */
  public static EventLoops start(NettyTransport transport, int threads) {
    requireNonNull(transport, "transport");
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    return new EventLoops(transport, threads);
  }

  /** The transport whose channels these loops drive. */
  public NettyTransport transport() {
    return transport;
  }

  public EventLoopGroup group() {
    return group;
  }

  /** How many loops: a server with one UDP socket per loop (epoll's SO_REUSEPORT) opens this many. */
  public int threads() {
    return threads;
  }

  /** Stops the loops, bounded: a shutdown hook that waited forever would keep the JVM from exiting. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
  }
}
