package dev.dnslab.core.log;

import java.util.List;
import java.util.Objects;

/**
 * Logs a batch of one logger's INFO messages at once, where the logging set-up can write their
 * lines without a logging event per message; the caller logs them one by one wherever it cannot.
 * For the web server's access log, a line per request: building, dispatching and encoding a
 * logback event for each line cost its writer thread as much as making the line.
 *
 * <p>The roles only know SLF4J; the launcher's logging set-up (cli's ConsoleLogConfigurator)
 * installs the writer that knows logback. Nothing installed, as in a module's tests or under a
 * user's logback configuration file: {@link #info} says false and the events path logs the lines.
 */
public final class InfoLineBatches {
  /** Writes a batch of one logger's INFO lines directly, or declines. */
  public interface Writer {
    /**
     * Logs each message, in order, with the very bytes {@code logger.info(message)} on this thread
     * would have written; false, having logged none, when the logger's set-up (its level, filters,
     * appenders, encoder) needs the logging events.
     */
    boolean info(String loggerName, List<String> messages);
  }

  private static volatile Writer writer;

  private InfoLineBatches() {}

  /** The writer from now on; the logging set-up calls this once it has configured logback. */
  public static void install(Writer installed) {
    writer = Objects.requireNonNull(installed, "installed");
  }

  /** Logs {@code messages} as INFO lines of {@code loggerName}; false when the caller must log them one by one. */
  public static boolean info(String loggerName, List<String> messages) {
    Writer current = writer;
    return current != null && current.info(loggerName, messages);
  }
}
