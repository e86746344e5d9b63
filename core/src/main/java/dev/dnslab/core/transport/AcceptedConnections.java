package dev.dnslab.core.transport;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;

/**
 * The connections one server accepted and has not yet closed, which its close() closes itself,
 * after its listeners and before the event loops stop.
 *
 * <p>Why not leave them to the loops: Netty 4.2's loop (SingleThreadIoEventLoop.run) closes its
 * channels only when it sees the shutdown before running its tasks; a shutdownGracefully(0, ...)
 * that arrives while a task runs ends the loop with its connections open: the socket is never
 * closed and no pipeline event releases what the handlers hold (a decoder's half-read frame, found
 * by the leak detector at paranoid level after the web server's SlowClientsTest). And a server on
 * loops it borrowed ({@link EventLoops#borrowed()}) does not stop them at all: without this its
 * connections would go on being served after its close().
 *
 * <pre>{@code
 * AcceptedConnections connections = new AcceptedConnections("dns-tcp");
 * new ServerBootstrap().group(loops.group()).channel(transport.serverChannel())
 *     .childHandler(connections.childHandler(new TcpChannelInitializer(...)));
 * // close(): listeners first (no new connection), then
 * connections.close();
 * }</pre>
 */
public final class AcceptedConnections {
  /**
   * How long close() waits for the connections to close. Each closes on its own loop, behind what
   * that loop is doing, which is short (an answer, a TLS record); bounded because close() runs in
   * shutdown hooks, and a hook that waited forever would keep the JVM from exiting.
   */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private final ChannelGroup open;

  /**
   * One per start of a server: once closed, it stays closed, so a connection accepted just before
   * its listener closed, which joins only when its own loop gets to it, is closed as it joins.
   *
   * @param name the server's, for Netty's toString of the group
   */
  public AcceptedConnections(String name) {
    // The group's own futures complete on the global executor, never on a loop being stopped.
    this.open = new DefaultChannelGroup(requireNonNull(name, "name"), GlobalEventExecutor.INSTANCE, true);
  }

  /**
   * The child handler of a server bootstrap: each accepted connection joins this set (and leaves
   * it when it closes), then {@code wiring} sets up its pipeline. {@code wiring} must be {@link
   * ChannelHandler.Sharable} (a {@link ChannelInitializer} is), as any child handler must.
   */
  public ChannelHandler childHandler(ChannelHandler wiring) {
    requireNonNull(wiring, "wiring");
    return new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel connection) {
        open.add(connection);
        connection.pipeline().addLast(wiring);
      }
    };
  }

  /** The connections open now: a view that follows them. */
  public Set<Channel> open() {
    return Collections.unmodifiableSet(open);
  }

  /**
   * Closes every open connection, each on its own loop (which runs its pipeline's
   * channelInactive and handlerRemoved, so the handlers release what they hold), and waits for them
   * at most {@link #CLOSE_TIMEOUT}. Call it after closing the listeners, while the loops still run.
   */
  public void close() {
    open.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
  }
}
