package dev.dnslab.core.tls;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS server's context as each new connection asks for it, and what the connection gets when it
 * cannot be built: one WARN line with the reason, then close, before any byte is read.
 *
 * <p>Why: the context is built at the first connection ({@link BuiltOnFirstUse}), and so is what
 * it needs, the certificate and the lab CA read from the state folder ({@link
 * LabCertificateAuthority#loadOnFirstUse}). A stored CA found broken then (a key that is not its
 * certificate's, a certificate the JDK cannot read) fails every connection's build, each tried
 * again by the next connection. Thrown from a channel initializer, Netty's {@code
 * ChannelInitializer} logged it as a WARN with a 50-line stack trace for each DoT or DoH connection;
 * the message already names the file and the fix, so the line is the message. Other exceptions are
 * bugs, and go to Netty with their stack trace as before.
 *
 * <pre>{@code
 * ServerTlsContext tls = new ServerTlsContext("DoT", new BuiltOnFirstUse<>(() -> certificate.get().serverContext(List.of())),
 *     idleTimeout);
 * // in a ChannelInitializer, after what must see every connection (the connection cap):
 * if (!tls.addHandler(channel)) {
 *   return;
 * }
 * }</pre>
 */
public final class ServerTlsContext {
  private static final Logger log = LoggerFactory.getLogger(ServerTlsContext.class);

  private final String transport;
  private final Supplier<SslContext> context;
  private final long handshakeTimeoutMillis;

  /**
   * @param transport what the log line calls the connection: "DoT", "DoH"
   * @param context asked for at each connection; may throw while it cannot be built
   * @param handshakeTimeout how long a client has to finish its handshake: the listener's idle
   *     timeout, which leaves a handshake under way to this one. Netty's own 10 s would otherwise
   *     close, at 10 s, a connection that a longer idle timeout means to keep until the connection
   *     cap evicts it.
   */
  public ServerTlsContext(String transport, Supplier<SslContext> context, Duration handshakeTimeout) {
    this.transport = requireNonNull(transport, "transport");
    this.context = requireNonNull(context, "context");
    this.handshakeTimeoutMillis = requireNonNull(handshakeTimeout, "handshakeTimeout").toMillis();
  }

  /**
   * Adds the connection's TLS handler, named "tls", at the end of its pipeline; or, when the
   * context cannot be built, logs why, closes the connection and returns false (add nothing more).
   */
  public boolean addHandler(Channel channel) {
    SslContext built;
    try {
      built = context.get();
    } catch (UncheckedIOException | IllegalStateException e) {
      // What the lab's CA and certificate code throws, with a message meant for the user.
      log.warn("{} connection from {} closed before its handshake: {}", transport, channel.remoteAddress(), e.getMessage());
      channel.close();
      return false;
    }
    SslHandler handler = built.newHandler(channel.alloc());
    handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
    channel.pipeline().addLast("tls", handler);
    return true;
  }
}
