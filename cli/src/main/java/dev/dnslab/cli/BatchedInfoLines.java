package dev.dnslab.cli;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.dnslab.core.log.InfoLineBatches;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * A batch of INFO messages handed straight to a logger's {@link BatchedStdoutAppender}, without a
 * logback event per message, when nothing in between could change or drop a line: the context is
 * the one SLF4J logs to, it has no turbo filter, the logger is enabled for INFO and its one
 * appender, not also its parents' ({@code additivity="false"}), is that appender. Anything else,
 * a user's configuration file included, is left to the events path. Checked at every batch, so a
 * logging set-up changed at run time (a reset, a new appender) is followed from the next one on.
 */
final class BatchedInfoLines implements InfoLineBatches.Writer {
  private final LoggerContext context;

  BatchedInfoLines(LoggerContext context) {
    this.context = requireNonNull(context, "context");
  }

  @Override
  public boolean info(String loggerName, List<String> messages) {
    if (LoggerFactory.getILoggerFactory() != context || !context.getTurboFilterList().isEmpty()) {
      return false;
    }
    Logger logger = context.exists(loggerName);
    if (logger == null || logger.isAdditive() || !Level.INFO.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return false;
    }
    Iterator<Appender<ILoggingEvent>> appenders = logger.iteratorForAppenders();
    if (!appenders.hasNext()) {
      return false;
    }
    Appender<ILoggingEvent> only = appenders.next();
    return !appenders.hasNext() && only instanceof BatchedStdoutAppender batched && batched.appendInfo(logger, messages);
  }
}
