package dev.dnslab.core.client;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.transport.CallingEventLoop;
import dev.dnslab.core.transport.EventLoops;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * Asks one server one question, as a stub resolver does, from sockets on event loops a role already
 * runs: over UDP, and once more over TCP when the UDP reply is truncated (TC, RFC 1035 4.2.1; RFC
 * 7766 5). dnsjava's SimpleResolver does the same, but its NIO client starts a selector thread of its
 * own at the first question and keeps it, waking every second (dnsjava 3.6's selector timeout), for
 * the rest of the JVM's life, beside the role's own loops. The wire format stays dnsjava's {@link
 * Message}; the query goes out as given (its ID, flags and EDNS are the caller's).
 *
 * <pre>{@code
 * DnsQuestion.ask(loops, recursor, query, Duration.ofSeconds(5))
 *     .thenAccept(reply -> ...); // on the calling loop, or on one of loops'
 * }</pre>
 *
 * <p>A reply counts when it answers the question: a response with the query's ID and question
 * (name without letter case, RFC 4343; type; class), as SimpleResolver checks (RFC 5452 9.1). Over
 * UDP anything else is ignored and the wait goes on, see {@link UdpExchange}; over TCP it fails the
 * question. The whole question, TCP retry included, has {@code timeout}: past it the future fails
 * with a {@link SocketTimeoutException} and every socket it opened is closed.
 *
 * <p>It completes on the calling thread's event loop when that is one of {@code loops}' transport
 * (the thread then writes what follows at once, with no hand-over: see {@link CallingEventLoop}),
 * otherwise on one of {@code loops}.
 */
public final class DnsQuestion {
  private DnsQuestion() {}

  /**
   * Completes with the reply of {@code server} to {@code query}, or fails: no reply within {@code
   * timeout}, a refused port, a TCP connection that closed or answered another question.
   */
  public static CompletableFuture<Message> ask(EventLoops loops, InetSocketAddress server, Message query, Duration timeout) {
    requireNonNull(loops, "loops");
    requireNonNull(server, "server");
    requireNonNull(query, "query");
    requireNonNull(timeout, "timeout");
    CompletableFuture<Message> reply = new CompletableFuture<>();
    if (query.getQuestion() == null) {
      reply.completeExceptionally(new IllegalArgumentException("query: no question"));
      return reply;
    }
    EventLoop loop;
    ScheduledFuture<?> timer;
    try {
      // The caller's own loop when it runs on one of these (the DNS server's, the admin server's
      // sharing them): the reply then comes back to the thread that asked.
      loop = CallingEventLoop.orNext(loops.group(), loops.transport());
      timer = loop.schedule(
          () -> reply.completeExceptionally(new SocketTimeoutException("no reply within " + timeout.toMillis() + " ms")),
          timeout.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RuntimeException shutDown) {
      // The loops already shut down: no reply, as with a timeout.
      reply.completeExceptionally(shutDown);
      return reply;
    }
    reply.whenComplete((message, failure) -> timer.cancel(false));
    byte[] wire = query.toWire();
    CompletableFuture<Message> udp = UdpExchange.start(loop, loops.transport(), server, query, wire);
    // Done (the timeout, or a caller that gave up): the exchange closes its socket.
    reply.whenComplete((message, failure) -> udp.cancel(false));
    udp.whenComplete((message, failure) -> {
      if (failure != null) {
        reply.completeExceptionally(failure);
      } else if (!message.getHeader().getFlag(Flags.TC)) {
        reply.complete(message);
      } else if (!reply.isDone()) {
        // RFC 7766 5: a truncated UDP reply is asked again over TCP, which carries any size; the
        // question's timer goes on for it, and its end closes the connection.
        TcpExchange.start(loop, loops.transport(), server, wire, frame -> answer(query, frame), reply);
      }
    });
    return reply;
  }

  /** {@code frame} as a message when it answers {@code query} ({@link #answers}), else null. */
  private static Message answer(Message query, byte[] frame) {
    Message message = parse(frame);
    return message != null && answers(query, message) ? message : null;
  }

  /** Whether {@code reply} answers {@code query}: a response ({@link #sameIdAndQuestion}). */
  static boolean answers(Message query, Message reply) {
    return reply.getHeader().getFlag(Flags.QR) && sameIdAndQuestion(query, reply);
  }

  /**
   * Whether {@code reply} carries {@code query}'s ID and question, the name compared without letter
   * case (RFC 4343), as SimpleResolver checks and RFC 5452 9.1 asks; the recursor's upstream
   * client checks its replies with it too.
   */
  public static boolean sameIdAndQuestion(Message query, Message reply) {
    if (reply.getHeader().getID() != query.getHeader().getID()) {
      return false;
    }
    Record asked = query.getQuestion();
    Record echoed = reply.getQuestion();
    return echoed != null
        && echoed.getType() == asked.getType()
        && echoed.getDClass() == asked.getDClass()
        && echoed.getName().equals(asked.getName());
  }

  /**
   * A reply's bytes as a message, or null when they are not one: the reply is then ignored like any
   * other that does not match (RFC 5452 9.1). dnsjava reports most bad input as IOException, some
   * as unchecked exceptions (a TTL above 2^31-1 in some records), and a reply handler must not
   * throw: a datagram must never end the wait for the real reply that way. The recursor's upstream
   * client reads its replies with it too.
   */
  public static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException | RuntimeException unparsable) {
      return null;
    }
  }
}
