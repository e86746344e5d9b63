package dev.dnslab.core.transport;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * A group of event loops of one transport, which several servers and clients of one role may share:
 * each registers its channels with the group, and whoever made the group shuts it down (after they
 * have closed their channels). A server or client given someone else's loops keeps a
 * {@link #borrowed()} view of them, so that its own close() is the same call whether it started its
 * loops or was lent them. A role whose DNS server, DoT, DoH, admin server and upstream client
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
  /** Whether {@link #close} stops the group: only for the one who started it. */
  private final boolean owner;

  private EventLoops(NettyTransport transport, EventLoopGroup group, int threads, boolean owner) {
    this.transport = transport;
    this.group = group;
    this.threads = threads;
    this.owner = owner;
  }

  /** A group of {@code threads} loops of {@code transport}; each loop's thread starts with its first task. */
  public static EventLoops start(NettyTransport transport, int threads) {
    requireNonNull(transport, "transport");
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
    }
    return new EventLoops(transport, transport.newGroup(threads), threads, true);
  }

  /**
   * The same loops for a server or client that runs on them but did not start them: closing the
   * view leaves the loops running for whoever started them to stop.
   */
  public EventLoops borrowed() {
    return owner ? new EventLoops(transport, group, threads, false) : this;
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

  /**
   * Stops the loops if this is not a {@link #borrowed()} view, bounded: a shutdown hook that waited
   * forever would keep the JVM from exiting.
   */
  @Override
  public void close() {
    if (!owner) {
      return;
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
  }
}
