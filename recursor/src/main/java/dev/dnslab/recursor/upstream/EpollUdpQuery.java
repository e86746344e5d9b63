package dev.dnslab.recursor.upstream;

import dev.dnslab.core.server.Transport;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP query on an epoll event loop, on a socket of its own (RFC 5452 9.2: the first sendto on
 * an unbound socket binds it to a random ephemeral port). The socket is registered with the loop
 * through Netty's epoll I/O handle API, not wrapped in a DatagramChannel: the query needs one
 * datagram out and one in, and a channel per query cost a pipeline, promises, an outbound buffer,
 * a copy of the query into direct memory, a pooled 64 KiB read buffer, a close task, and two
 * system calls the handle does without (IP_MULTICAST_ALL on every new datagram channel, and
 * EPOLL_CTL_DEL before close: closing the descriptor takes it out of the epoll set). Everything
 * runs on the loop the query was registered with; the reply is checked by {@link ReplyCheck}
 * as on the channel path.
 */
final class EpollUdpQuery implements EpollIoHandle, Runnable {
  private static final Logger log = LoggerFactory.getLogger(EpollUdpQuery.class);

  /**
   * The loop thread's buffer for the datagram going out and the one coming in: each is copied in
   * or out within one task, so one buffer per loop serves every query on it. Large enough for any
   * UDP reply; we advertise 1232 (DNS flag day 2020) but accept more.
   */
  private static final FastThreadLocal<ByteBuffer> DATAGRAM = new FastThreadLocal<>() {
    @Override
    protected ByteBuffer initialValue() {
      return ByteBuffer.allocateDirect(UpstreamClient.RECEIVE_BUFFER);
    }
  };

  private final IoEventLoop loop;
  private final ReplyCheck check;
  private final InetSocketAddress server;
  private final Duration timeout;
  private LinuxSocket socket;
  private IoRegistration registration;
  private ScheduledFuture<?> timer;
  private boolean finished;

  private EpollUdpQuery(IoEventLoop loop, ReplyCheck check, Duration timeout) {
    this.loop = loop;
    this.check = check;
    this.server = check.server();
    this.timeout = timeout;
  }

  /**
   * Sends {@code wire} to the check's server from a new socket on {@code loop} and completes the
   * check's result with the first matching reply, a timeout, or the failure of the send; a failure
   * found while sending is reported on a later task of the loop (see UpstreamClient.failLater).
   */
  static void send(IoEventLoop loop, ReplyCheck check, byte[] wire, Duration timeout) {
    EpollUdpQuery query = new EpollUdpQuery(loop, check, timeout);
    if (loop.inEventLoop()) {
      query.start(wire);
    } else {
      UpstreamClient.runOn(loop, check.result(), () -> query.start(wire));
    }
  }

  private void start(byte[] wire) {
    try {
      socket = LinuxSocket.newSocketDgram(
          server.getAddress() instanceof Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
    } catch (RuntimeException noSocket) {
      // No socket (out of descriptors, or no IPv6 in this kernel): this server gave no reply.
      UpstreamClient.failLater(loop, check.result(), noSocket);
      return;
    }
    Future<IoRegistration> registered = loop.register(this);
    if (!registered.isSuccess()) {
      // Registered on the calling loop, so done by now; anything else is a loop shutting down.
      closeSocket();
      UpstreamClient.failLater(loop, check.result(), registered.cause() != null ? registered.cause()
          : new IOException("upstream socket not registered with its event loop"));
      return;
    }
    registration = registered.getNow();
    timer = loop.schedule(this, timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      registration.submit(EpollIoOps.EPOLLIN);
      ByteBuffer out = DATAGRAM.get();
      out.clear();
      out.put(wire);
      if (socket.sendTo(out, 0, wire.length, server.getAddress(), server.getPort()) <= 0) {
        throw new IOException("sendTo " + server + ": the socket's send buffer is full");
      }
    } catch (IOException | RuntimeException sendFailed) {
      finish();
      UpstreamClient.failLater(loop, check.result(), sendFailed);
    }
  }

  /** Reads what arrived, until a reply matches or nothing is left (the socket is level-triggered). */
  @Override
  public void handle(IoRegistration registration, IoEvent event) {
    ByteBuffer in = DATAGRAM.get();
    try {
      while (!finished) {
        DatagramSocketAddress sender = socket.recvFrom(in, 0, in.capacity());
        if (sender == null) {
          return; // EAGAIN: nothing more for now
        }
        byte[] datagram = new byte[sender.receivedAmount()];
        in.get(0, datagram);
        UpstreamReply reply = check.reply(sender, datagram, Transport.UDP);
        if (reply != null) {
          finish();
          check.result().complete(reply);
        }
      }
    } catch (IOException | RuntimeException readFailed) {
      finish();
      UpstreamClient.failLater(loop, check.result(), readFailed);
    }
  }

  /** The timeout. */
  @Override
  public void run() {
    if (!finished) {
      finish();
      check.result().completeExceptionally(new UpstreamTimeoutException(server, timeout));
    }
  }

  /** Netty closes the handles of a loop that shuts down. */
  @Override
  public void close() {
    if (!finished) {
      finish();
      check.result().completeExceptionally(new IOException("event loop shut down before a reply from " + server));
    }
  }

  @Override
  public FileDescriptor fd() {
    return socket;
  }

  /**
   * Stops the timer and closes the socket before cancelling its registration: the kernel has then
   * taken the descriptor out of the epoll set, so Netty makes no EPOLL_CTL_DEL call of its own.
   */
  private void finish() {
    finished = true;
    if (timer != null) {
      timer.cancel(false);
    }
    closeSocket();
    if (registration != null) {
      registration.cancel();
    }
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing the socket of a query to {}: {}", server, e.toString());
    }
  }
}
