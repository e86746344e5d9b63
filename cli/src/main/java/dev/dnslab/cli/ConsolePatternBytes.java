package dev.dnslab.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.pattern.Abbreviator;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The bytes {@link ConsoleLogConfigurator#PATTERN}'s encoder makes of an event, made directly:
 * {@code 12:00:00.000 INFO  [thread] logger - message} and the line separator, without the
 * pattern layout's converter chain, its StringBuilder, the String it returns and that String's
 * encoding. For the access log's writer, which appends a line per request: logback's layout and
 * encoding were a third of that thread's CPU (perf, wrk -c50 GET /). And for every other console
 * line ({@link ConsoleLineEncoder}), so that a JVM need not build the pattern layout at all.
 *
 * <p>Only for what it can make exactly as the encoder would: no exception (the layout would append
 * its stack trace) and ASCII text (the encoder writes the platform's charset, ASCII-compatible ones
 * alike for ASCII). For anything else {@link #encode} says null and the caller asks the encoder.
 * The logger's name is shortened by the abbreviator {@code %logger{24}} uses.
 */
final class ConsolePatternBytes {
  /** {@code %logger{24}}. */
  private static final int LOGGER_TARGET_LENGTH = 24;

  /** {@code %-5level}. */
  private static final int LEVEL_WIDTH = 5;

  private static final Set<Charset> ASCII_COMPATIBLE =
      Set.of(StandardCharsets.UTF_8, StandardCharsets.US_ASCII, StandardCharsets.ISO_8859_1);

  /** {@code %d{HH:mm:ss.SSS}} as logback's DateConverter makes it: the default zone and locale. */
  private final ConsoleTimeStamp time = new ConsoleTimeStamp();

  /** {@code %logger{24}} as logback's LoggerConverter makes it (stateless, so shared by threads). */
  private final Abbreviator logger = new TargetLengthBasedClassNameAbbreviator(LOGGER_TARGET_LENGTH);

  private ConsolePatternBytes() {}

  /**
   * For an encoder of exactly {@link ConsoleLogConfigurator#PATTERN}, with logback's own meaning of
   * each conversion word (no {@code conversionRule} of a configuration file registered in its
   * context), that writes an ASCII-compatible charset; null for any other encoder, whose bytes only
   * it can make.
   */
  static ConsolePatternBytes forEncoder(Encoder<ILoggingEvent> encoder) {
    if (encoder instanceof ConsoleLineEncoder console) {
      return console.direct(); // the console's own encoder: this pattern, made directly where it can
    }
    if (!(encoder instanceof PatternLayoutEncoder layout)
        || !ConsoleLogConfigurator.PATTERN.equals(layout.getPattern())
        || layout.getContext() == null
        || layout.getContext().getObject(CoreConstants.PATTERN_RULE_REGISTRY) != null
        || layout.getContext().getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS) != null) {
      return null;
    }
    return forCharset(layout.getCharset() != null ? layout.getCharset() : Charset.defaultCharset());
  }

  /** For the encoder of {@link ConsoleLogConfigurator#PATTERN} that writes {@code charset}; null when not ASCII-compatible. */
  static ConsolePatternBytes forCharset(Charset charset) {
    return ASCII_COMPATIBLE.contains(charset) ? new ConsolePatternBytes() : null;
  }

  /** The encoder's bytes for this event, or null when only the encoder can make them. */
  byte[] encode(ILoggingEvent event) {
    if (event.getThrowableProxy() != null) {
      return null;
    }
    return encode(
        event.getTimeStamp(), event.getLevel(), event.getThreadName(), event.getLoggerName(), event.getFormattedMessage());
  }

  /**
   * The encoder's bytes for an event without an exception made of these fields (its time stamp in
   * epoch milliseconds, its logger's full name, its formatted message), or null when only the
   * encoder can make them.
   */
  byte[] encode(long timeStamp, Level eventLevel, String thread, String name, String message) {
    if (eventLevel == null || name == null || thread == null || message == null) {
      return null;
    }
    byte[] middle = middle(eventLevel, thread, name);
    if (middle == null) {
      return null;
    }
    byte[] line = new byte[lineLength(middle, message)];
    return write(timeStamp, middle, message, line, 0) < 0 ? null : line;
  }

  /**
   * What lies between a line's time stamp and its message, {@code " INFO  [thread] logger - "}, the
   * same for every line of one level, thread and logger (its full name): made once for a batch of
   * them. Null when only the encoder can make it (text that is not ASCII).
   */
  byte[] middle(Level eventLevel, String thread, String name) {
    String logger = this.logger.abbreviate(name);
    String level = eventLevel.toString();
    int levelWidth = Math.max(LEVEL_WIDTH, level.length());
    byte[] middle = new byte[1 + levelWidth + 2 + thread.length() + 2 + logger.length() + 3];
    int at = ascii(" ", middle, 0);
    at = ascii(level, middle, at);
    for (int pad = level.length(); pad < levelWidth; pad++) {
      middle[at++] = ' ';
    }
    at = ascii(" [", middle, at);
    at = ascii(thread, middle, at);
    at = ascii("] ", middle, at);
    at = ascii(logger, middle, at);
    at = ascii(" - ", middle, at);
    return at < 0 ? null : middle;
  }

  /** The bytes {@link #write} writes for a line of this middle and message. */
  static int lineLength(byte[] middle, String message) {
    return ConsoleTimeStamp.LENGTH + middle.length + message.length() + CoreConstants.LINE_SEPARATOR.length();
  }

  /**
   * Writes the encoder's bytes for the line of {@code message} at {@code timeStamp}, its {@link
   * #middle} given, to {@code line} at {@code at}, which has room for its {@link #lineLength}: the
   * index after the line, or -1 when only the encoder can make it (what was written then is to be
   * ignored). Writing into a caller's buffer spares a batch an array per line.
   */
  int write(long timeStamp, byte[] middle, String message, byte[] line, int at) {
    at = time.write(timeStamp, line, at);
    System.arraycopy(middle, 0, line, at, middle.length);
    at = ascii(message, line, at + middle.length);
    return ascii(CoreConstants.LINE_SEPARATOR, line, at);
  }

  /** Copies ASCII text to {@code line} at {@code at}; -1 (and stays -1) once a character is not ASCII. */
  private static int ascii(String text, byte[] line, int at) {
    if (at < 0) {
      return -1;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return -1;
      }
      line[at++] = (byte) c;
    }
    return at;
  }
}
