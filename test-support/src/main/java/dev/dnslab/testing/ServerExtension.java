package dev.dnslab.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a server before the tests of a class and stops it after them, in place of a copied pair
 * of {@code @BeforeAll}/{@code @AfterAll} methods. Armeria's {@code ServerExtension} is the model:
 * register a subclass in a static field and ask it for the running server.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RecursorExtension recursor = RecursorExtension.onLabZones();
 *
 * @Test
 * void resolves() { Dig.query(recursor.dnsAddress(), ...); }
 * }</pre>
 *
 * @param <S> what {@link #start()} returns: the server, or a small holder of it and its clients
 */
public abstract class ServerExtension<S extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
  private S server;
  /** The class that started it: a {@code @Nested} class sees the same extension and must not restart it. */
  private String startedBy;

  /** Starts the server; called once, before the first test of the class. */
  protected abstract S start() throws Exception;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (server == null) {
      server = start();
      startedBy = context.getUniqueId();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null && context.getUniqueId().equals(startedBy)) {
      try {
        server.close();
      } finally {
        server = null;
      }
    }
  }

  /** The running server; only between the class's first and last test. */
  public S get() {
    if (server == null) {
      throw new IllegalStateException(getClass().getSimpleName()
          + " is not running: register it with @RegisterExtension on a static field");
    }
    return server;
  }
}
