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
 * static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.LAB_ZONES);
 *
 * @Test
 * void resolves() { Dig.query(recursor.server().dnsAddress(), ...); }
 * }</pre>
 *
 * <p>A test that needs a server of its own (other limits, say) starts one with {@link #startNow()}
 * and closes it with try-with-resources.
 *
 * @param <S> the server {@link #start()} returns
 */
public abstract class ServerExtension<S extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
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
    if (context.getUniqueId().equals(startedBy)) {
      close();
    }
  }

  /** Starts the server outside the JUnit lifecycle, for one test's own; {@link #close()} stops it. */
  protected void startNow() throws Exception {
    server = start();
    startedBy = null;
  }

  /** The running server; only between the class's first and last test (or startNow and close). */
  public S server() {
    if (server == null) {
      throw new IllegalStateException(getClass().getSimpleName()
          + " is not running: register it with @RegisterExtension on a static field");
    }
    return server;
  }

  /** Stops the server, if running. */
  @Override
  public void close() throws Exception {
    S running = server;
    server = null;
    startedBy = null;
    if (running != null) {
      running.close();
    }
  }
}
