package dev.dnslab.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.dnslab.core.log.InfoLineBatches;
import org.slf4j.Logger;

/**
 * The logging of every JVM started from the fat jar (`dnslab`, each role's main, the images): logs
 * go to stdout, where containers collect them, one line per event. Set DNSLAB_LOG_LEVEL=DEBUG (all
 * loggers) or DNSLAB_QUERY_LOG=DEBUG (loggers dnslab.query.*: one dig-like line per query), as an
 * environment variable or a -D system property.
 *
 * <p>Logback finds this class through {@code META-INF/services} and runs it before its own XML
 * configurator (Joran). Written here rather than as a logback.xml because Joran's XML parser, SAX
 * and model processors are ~660 classes that every JVM loaded at start: an idle authoritative-ns
 * had 4,484 classes loaded, 4,000 without them. A configuration file still wins, as logback
 * documents: {@code -Dlogback.configurationFile=...}, or a logback-test.xml or logback.xml on the
 * class path (the modules' tests have one).
 *
 * <p>Every line has {@link #PATTERN}'s layout, made by a {@link ConsoleLineEncoder}: logback's
 * pattern layout is built only for a line that needs it (a stack trace), not at start.
 *
 * <p>The web server's access log (logger {@value #ACCESS_LOGGER}, a line per request) goes to stdout
 * through a {@link BatchedStdoutAppender}, in batches rather than a write per line, and its writer
 * hands each batch of lines to that appender without a logging event per line ({@link
 * BatchedInfoLines}); every other logger writes each line as it comes.
 */
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {
  /** The layout every dnslab log line has had: {@code 12:00:00.000 INFO  [main] d.d.c.Foo - text}. */
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";
  static final String ACCESS_LOGGER = "dnslab.access";
  private static final String CONFIG_FILE_PROPERTY = "logback.configurationFile";
  private static final String[] CONFIG_FILES = {"logback-test.xml", "logback.xml"};

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (configFileGiven()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    logToStdout(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** What logback.xml said: stdout, dnslab.query at DNSLAB_QUERY_LOG, io.netty at WARN, the rest at DNSLAB_LOG_LEVEL. */
  static void logToStdout(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setContext(context);
    stdout.setName("STDOUT");
    stdout.setEncoder(encoder(context));
    stdout.start();
    BatchedStdoutAppender batched = new BatchedStdoutAppender();
    batched.setContext(context);
    batched.setName("STDOUT-BATCHED");
    batched.setEncoder(encoder(context));
    batched.start();
    ch.qos.logback.classic.Logger access = context.getLogger(ACCESS_LOGGER);
    access.addAppender(batched);
    // Its lines go to stdout once, through the batch, not also through the root's appender.
    access.setAdditive(false);
    context.getLogger("dnslab.query").setLevel(level("DNSLAB_QUERY_LOG"));
    // Netty's own INFO and DEBUG lines describe its internals (allocators, native transports).
    context.getLogger("io.netty").setLevel(Level.WARN);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level("DNSLAB_LOG_LEVEL"));
    root.addAppender(stdout);
    // The access log's writer hands its batches straight to the batched appender while this set-up holds.
    InfoLineBatches.install(new BatchedInfoLines(context));
  }

  private static ConsoleLineEncoder encoder(LoggerContext context) {
    ConsoleLineEncoder encoder = new ConsoleLineEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  private static boolean configFileGiven() {
    if (System.getProperty(CONFIG_FILE_PROPERTY) != null) {
      return true;
    }
    ClassLoader loader = ConsoleLogConfigurator.class.getClassLoader();
    for (String file : CONFIG_FILES) {
      if (loader.getResource(file) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * A system property, else an environment variable, else INFO: the lookup order of the
   * {@code ${NAME:-INFO}} that logback.xml had. A word logback does not know means DEBUG, as there.
   */
  static Level level(String name) {
    String value = System.getProperty(name, System.getenv(name));
    return value == null ? Level.INFO : Level.toLevel(value.trim());
  }
}
