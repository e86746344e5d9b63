package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.CoreConstants;
import java.util.HashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A console line made directly has the very bytes the console pattern's encoder makes, or is left to it. */
class ConsolePatternBytesTest {
  private final LoggerContext context = new LoggerContext();

  private PatternLayoutEncoder encoder(String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }

  private LoggingEvent event(String logger, Level level, String message, Throwable thrown, Object... args) {
    LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger(logger), level, message, thrown, args);
    event.setThreadName("dnslab-access-log");
    return event;
  }

  @ParameterizedTest
  @ValueSource(strings = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"})
  void makesTheEncodersBytesForAnAccessLogLineAtEveryLevel(String level) {
    PatternLayoutEncoder encoder = encoder(ConsoleLogConfigurator.PATTERN);
    ConsolePatternBytes direct = ConsolePatternBytes.forEncoder(encoder);
    ILoggingEvent line =
        event("dnslab.access", Level.toLevel(level),
            "127.0.0.1:51234 www.google.com \"GET / HTTP/1.1\" 200 2498 HTTP/1.1 0.0ms \"curl/7.88.1\"", null);

    assertThat(direct).isNotNull();
    assertThat(direct.encode(line)).isEqualTo(encoder.encode(line));
  }

  @Test
  void makesTheEncodersBytesForAMessageWithArgumentsAndTheLongestWholeLoggerName() {
    PatternLayoutEncoder encoder = encoder(ConsoleLogConfigurator.PATTERN);
    ConsolePatternBytes direct = ConsolePatternBytes.forEncoder(encoder);
    // 23 characters: the longest name %logger{24} leaves whole.
    ILoggingEvent line = event("dev.dnslab.web.Abcdefgh", Level.INFO, "{} answered {}", null, "www", 200);

    assertThat(direct.encode(line)).isEqualTo(encoder.encode(line));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev.dnslab.web.WebRequestHandler", "dev.dnslab.core.server.DnsServer",
      "io.netty.util.internal.logging.InternalLoggerFactory", "dev.dnslab.web.Abcdefghi", "AVeryLongLoggerNameWithoutDots"})
  void abbreviatesALongLoggerNameAsTheEncoderDoes(String logger) {
    PatternLayoutEncoder encoder = encoder(ConsoleLogConfigurator.PATTERN);
    ConsolePatternBytes direct = ConsolePatternBytes.forEncoder(encoder);
    ILoggingEvent line = event(logger, Level.WARN, "failed", null);

    assertThat(direct.encode(line)).isNotNull().isEqualTo(encoder.encode(line));
  }

  @Test
  void leavesToTheEncoderWhatOnlyItCanMake() {
    PatternLayoutEncoder encoder = encoder(ConsoleLogConfigurator.PATTERN);
    ConsolePatternBytes direct = ConsolePatternBytes.forEncoder(encoder);

    // A stack trace appended; text that is not ASCII.
    assertThat(direct.encode(event("dnslab.access", Level.WARN, "failed", new IllegalStateException("x")))).isNull();
    assertThat(direct.encode(event("dnslab.access", Level.INFO, "GET / \"Mozilla/5.0 (caf\u00e9)\"", null))).isNull();
  }

  @Test
  void isOnlyForTheConsolePatternWithLogbacksOwnConversionWords() {
    assertThat(ConsolePatternBytes.forEncoder(encoder("%msg%n"))).isNull();
    PatternLayoutEncoder console = encoder(ConsoleLogConfigurator.PATTERN);
    // A configuration file's <conversionRule> may give "msg" or "level" another meaning.
    context.putObject(CoreConstants.PATTERN_RULE_REGISTRY, new HashMap<String, Supplier<?>>());

    assertThat(ConsolePatternBytes.forEncoder(console)).isNull();
  }
}
