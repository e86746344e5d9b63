package dev.dnslab.recursor.upstream;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.client.TcpExchange;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.transport.CallingEventLoop;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;

/**
 * Sends one query to one upstream server and completes with the first reply that matches it. UDP
 * uses a fresh socket per query, so every query leaves from its own random ephemeral port (RFC 5452
 * 9.2): on epoll a bare socket registered with the loop ({@link EpollUdpQuery}), elsewhere a Netty
 * DatagramChannel. TCP (RFC 7766), core's {@link TcpExchange} as the router's forwarding uses it, is
 * used when a UDP reply came back truncated. Before anything is sent the {@link UpstreamPolicy} is
 * asked; a refused destination fails with {@link UpstreamBlockedException} and no packet leaves.
 */
public final class UpstreamClient implements AutoCloseable {
  /** Large enough for any UDP reply; we advertise 1232 (DNS flag day 2020) but accept more. */
  static final int RECEIVE_BUFFER = 65535;

  /** Stateless (each channel gets its own handle from it): one for every socket of the channel path. */
  private static final FixedRecvByteBufAllocator RECEIVE_ALLOCATOR = new FixedRecvByteBufAllocator(RECEIVE_BUFFER);

  /**
   * Where each upstream socket's RECEIVE_BUFFER-sized read buffer comes from: the pooled allocator's
   * arena, as for DnsServer's UDP buffers. Netty's default (adaptive) allocator pools nothing
   * larger than 16.5 KiB under jvm.options' 64 MiB of direct memory, so every upstream reply was
   * read into a new zeroed 64 KiB direct buffer, allocated and freed once per query.
   */
  private static final ByteBufAllocator RECEIVE_BUFFERS = PooledByteBufAllocator.DEFAULT;

  /** The name of the one handler in an upstream UDP channel's pipeline. */
  private static final String REPLY_HANDLER = "reply";

  private final UpstreamPolicy policy;
  private final UpstreamCookies cookies;
  private final NettyTransport transport;
  /** Its own loops, or a borrowed view of the role's, which close() leaves running. */
  private final EventLoops loops;

  /** A client whose cookie meters go to a registry of their own. */
  public UpstreamClient(UpstreamPolicy policy, int threads) {
    this(policy, threads, new UpstreamCookies(new SimpleMeterRegistry()));
  }

  public UpstreamClient(UpstreamPolicy policy, int threads, UpstreamCookies cookies) {
    this(policy, threads, cookies, NettyTransport.best());
  }

  /** A client on {@code transport}'s event loops: NIO where epoll is there too, for tests of the NIO path. */
  UpstreamClient(UpstreamPolicy policy, int threads, UpstreamCookies cookies, NettyTransport transport) {
    this(policy, cookies, EventLoops.start(transport, threads));
  }

  /**
   * A client on the role's event loops, shared with its servers: the queries the start's priming
   * and timers send go to them too, and {@link #close} leaves them running for the role to stop.
   */
  public UpstreamClient(UpstreamPolicy policy, EventLoops loops, UpstreamCookies cookies) {
    this(policy, cookies, requireNonNull(loops, "loops").borrowed());
  }

  private UpstreamClient(UpstreamPolicy policy, UpstreamCookies cookies, EventLoops loops) {
    this.policy = requireNonNull(policy, "policy");
    this.cookies = requireNonNull(cookies, "cookies");
    this.loops = loops;
    this.transport = loops.transport();
  }

  public UpstreamPolicy policy() {
    return policy;
  }

  /**
   * Sends {@code query} to {@code server} over {@code transport} (UDP or TCP), with our DNS cookie
   * for that server; a BADCOOKIE reply that hands us a new server cookie is retried once with it
   * (RFC 7873 5.3). Never throws.
   */
  public CompletableFuture<UpstreamReply> send(
      Message query, InetSocketAddress server, Transport transport, Duration timeout) {
    return send(query, null, server, transport, timeout);
  }

  /**
   * As {@link #send(Message, InetSocketAddress, Transport, Duration)}, the question's name sent as
   * {@code nameOnWire} (its wire form in another letter case: 0x20) unless that is null.
   */
  public CompletableFuture<UpstreamReply> send(
      Message query, byte[] nameOnWire, InetSocketAddress server, Transport transport, Duration timeout) {
    return sendOnce(query, nameOnWire, server, transport, timeout).thenCompose(reply ->
        cookies.asksForRetry(reply.message())
            ? sendOnce(query, nameOnWire, server, transport, timeout)
            : CompletableFuture.completedFuture(reply));
  }

  private CompletableFuture<UpstreamReply> sendOnce(
      Message query, byte[] nameOnWire, InetSocketAddress server, Transport transport, Duration timeout) {
    CompletableFuture<UpstreamReply> result = new CompletableFuture<>();
    UpstreamRefusal refusal = policy.refusal(server);
    if (refusal != null) {
      result.completeExceptionally(new UpstreamBlockedException(server, refusal));
      return result;
    }
    byte[] wire = cookies.wireWithCookie(query, nameOnWire, server.getAddress());
    long started = System.nanoTime();
    if (transport == Transport.TCP) {
      sendTcp(query, wire, server, timeout, started, result);
    } else {
      sendUdp(query, wire, server, timeout, started, result);
    }
    return result;
  }

  private void sendUdp(
      Message query, byte[] wire, InetSocketAddress server, Duration timeout, long started,
      CompletableFuture<UpstreamReply> result) {
    // No Bootstrap and no bind: the socket is made, registered and written to directly. It gets
    // its port from the kernel when the query leaves (sendto on an unbound UDP socket binds it to
    // a random ephemeral port, the same choice as bind to port 0), so every query still has its
    // own random source port (RFC 5452 9.2), without the bind, SO_BROADCAST and getsockname calls
    // and the task hop Bootstrap.bind costs per query.
    EventLoop loop = loop();
    ReplyCheck check = new ReplyCheck(query, wire, server, cookies, started, result);
    if (transport == NettyTransport.EPOLL && loop instanceof IoEventLoop ioLoop) {
      EpollUdpQuery.send(ioLoop, check, wire, timeout);
      return;
    }
    // NIO: a DatagramChannel per query.
    DatagramChannel channel;
    try {
      channel = transport.newDatagramChannel(server.getAddress());
    } catch (ChannelException noSocket) {
      // No socket (out of descriptors, or no IPv6 in this kernel): this server gave no reply.
      failLater(loop, result, noSocket);
      return;
    }
    channel.config().setAllocator(RECEIVE_BUFFERS).setRecvByteBufAllocator(RECEIVE_ALLOCATOR);
    channel.config().setOption(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true);
    channel.pipeline().addLast(REPLY_HANDLER, new UdpReplyHandler(check));
    loop.register(channel).addListener(
        f -> {
          if (!f.isSuccess()) {
            channel.unsafe().closeForcibly();
            failLater(loop, result, f.cause());
            return;
          }
          // One completion callback stops the timer and closes the socket.
          ScheduledFuture<?> timer = timeoutAfter(loop, server, timeout, result);
          result.whenComplete(
              (reply, failure) -> {
                timer.cancel(false);
                channel.close();
              });
          // The void promise sends a failed write to the reply handler's exceptionCaught.
          channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(wire), server), channel.voidPromise());
        });
  }

  /**
   * Fails {@code result} on a later task of {@code loop}, never inside the send that found the
   * failure. Registered on the caller's own loop, a send the kernel refuses at once (sendto gives
   * ENETUNREACH for an IPv6 server where no IPv6 route leads) would otherwise fail before {@link
   * #send} returns, and the caller's continuation would mark the server bad at once. A walk that
   * follows a signed referral starts its key prefetch first (Resolution.followReferral): the
   * prefetch would then find the unreachable IPv6 address and penalise it in the ServerSelector
   * before the walk chose its own server, so the walk would never ask it and its trace would not
   * show the IPv6-to-IPv4 fallback (RFC 8305). Reported on a later task, like a reply or a
   * timeout, every query started in one pass chooses before any of them learns the result, as
   * when Bootstrap.bind's task hop came between the register and the send.
   */
  static void failLater(EventLoop loop, CompletableFuture<UpstreamReply> result, Throwable cause) {
    try {
      loop.execute(() -> result.completeExceptionally(cause));
    } catch (RejectedExecutionException shuttingDown) {
      result.completeExceptionally(cause);
    }
  }

  /** Runs {@code task} on {@code loop}, or fails {@code result} when the loop is shutting down. */
  static void runOn(EventLoop loop, CompletableFuture<UpstreamReply> result, Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException shuttingDown) {
      result.completeExceptionally(shuttingDown);
    }
  }

  private void sendTcp(
      Message query, byte[] wire, InetSocketAddress server, Duration timeout, long started,
      CompletableFuture<UpstreamReply> result) {
    EventLoop loop = loop();
    ReplyCheck check = new ReplyCheck(query, wire, server, cookies, started, result);
    ScheduledFuture<?> timer = timeoutAfter(loop, server, timeout, result);
    result.whenComplete((reply, failure) -> timer.cancel(false));
    // The connection is to the server asked: its one reply must pass the check, or the exchange failed.
    TcpExchange.start(loop, transport, server, wire, frame -> check.reply(server, frame, Transport.TCP), result);
  }

  /**
   * The loop a new socket goes to: the calling thread's own when it is an event loop of our
   * transport, so registering, binding and sending run right here instead of being handed to
   * another thread and waking it, and the reply comes back to the same thread. That is the
   * iterator sending its next query from the loop that received the last reply, and also the
   * server's loop that received a client's query sending the first one: the whole resolution, and
   * the answer to the client, then stay on that loop (as in Unbound, whose worker owns both its
   * client sockets and its outgoing ones). Else (the start's priming, a timer thread) the group's
   * next. Still one new socket per query (RFC 5452 9.2).
   */
  private EventLoop loop() {
    return CallingEventLoop.orNext(loops.group(), transport);
  }

  /**
   * Runs {@code task} once after {@code delay} on the loop a query sent from the calling thread
   * would go to ({@link #loop()}): a timer of a resolution (RFC 8767's client response timer) then
   * fires on the thread that runs the resolution and answers its client, and on a loop this client
   * owns otherwise. Cancelling the future takes the task off its loop's queue; a task still queued
   * when its loop shuts down (this client's close, or the server's that called) never runs.
   *
   * @throws RejectedExecutionException when that loop is shutting down
   */
  public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return loop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Fails {@code result} after {@code timeout} on {@code loop}, unless it completed before; the
   * caller cancels the returned timer when {@code result} completes, in the one callback that also
   * releases its socket.
   */
  private static ScheduledFuture<?> timeoutAfter(
      EventLoop loop, InetSocketAddress server, Duration timeout, CompletableFuture<UpstreamReply> result) {
    return loop.schedule(
        () -> {
          result.completeExceptionally(new UpstreamTimeoutException(server, timeout));
        },
        timeout.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private static final class UdpReplyHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final ReplyCheck check;

    UdpReplyHandler(ReplyCheck check) {
      this.check = check;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      UpstreamReply reply = check.reply(packet.sender(), ByteBufUtil.getBytes(packet.content()), Transport.UDP);
      if (reply != null) {
        check.result().complete(reply);
      }
    }

    /** A failed send (the void promise brings it here) or read; reported on a later task, see failLater. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failLater(ctx.channel().eventLoop(), check.result(), cause);
    }
  }

  @Override
  public void close() {
    loops.close();
  }
}
