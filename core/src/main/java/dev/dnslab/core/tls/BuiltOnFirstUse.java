package dev.dnslab.core.tls;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * A server's TLS contexts, built when its first TLS connection arrives instead of when it starts.
 *
 * <p>Why: a built context is BoringSSL's SSL_CTX with the certificate chain and key handed over,
 * and Netty's OpenSSL context classes, compiled code and buffers around it: ~4 MiB of resident
 * memory per context (a recursor's DoT and DoH contexts: 71 -> 63 MiB in a JVM that only built
 * them) that a role no TLS client has reached never uses. The certificate waits too (the CA's
 * {@code issueOnFirstUse}), and the lab CA with it (the CA's {@code loadOnFirstUse}); the
 * context is built from them as before. Its first connection waits for both
 * (tens of milliseconds) once.
 *
 * <p>Thread-safe: event loops ask for it from every connection; one of them builds it, the others
 * wait for that build. A build that throws is tried again by the next connection.
 *
 * @param <T> an {@code SslContext}, or a mapping of server names to them
 */
public final class BuiltOnFirstUse<T> implements Supplier<T> {
  private final Supplier<? extends T> build;
  private volatile T built;

  public BuiltOnFirstUse(Supplier<? extends T> build) {
    this.build = requireNonNull(build, "build");
  }

  @Override
  public T get() {
    T value = built;
    if (value == null) {
      synchronized (this) {
        value = built;
        if (value == null) {
          value = requireNonNull(build.get(), "built");
          built = value;
        }
      }
    }
    return value;
  }

  /** Whether a connection has needed it yet. */
  public boolean isBuilt() {
    return built != null;
  }
}
