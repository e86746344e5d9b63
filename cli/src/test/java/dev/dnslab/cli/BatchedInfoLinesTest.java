package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * A batch of access-log lines handed straight to the batched appender has the very bytes the
 * events path writes, and is left to the events path whenever something there could change a line.
 */
class BatchedInfoLinesTest {
  /** The context SLF4J logs to in these tests (logback-test.xml's). */
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  /** A logger of its own, shaped as the console set-up shapes dnslab.access. */
  private final Logger logger = context.getLogger("dnslab.batch.test");
  private final BatchedInfoLines writer = new BatchedInfoLines(context);
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final BatchedStdoutAppender appender = appender(ConsoleLogConfigurator.PATTERN, stdout);

  private static final List<String> LINES =
      List.of(
          "127.0.0.1:51234 www.google.com \"GET / HTTP/1.1\" 200 2498 HTTP/1.1 0.0ms \"curl/7.88.1\"",
          // Placeholders are text in a message logged without arguments.
          "127.0.0.1:51235 www.google.com \"GET /{} HTTP/1.1\" 404 310 HTTP/1.1 0.1ms \"{}\"",
          // Not ASCII: left to the encoder, in its place among the others.
          "127.0.0.1:51236 www.google.com \"GET / HTTP/1.1\" 200 2498 HTTP/1.1 0.0ms \"Mozilla/5.0 (caf\u00e9)\"",
          "[::1]:51237 - \"GET / HTTP/1.1\" 400 52 HTTP/1.1 0.2ms \"-\"");

  BatchedInfoLinesTest() {
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    logger.addAppender(appender);
  }

  @AfterEach
  void detach() {
    logger.detachAndStopAllAppenders();
    logger.setAdditive(true);
    logger.setLevel(null);
    context.resetTurboFilterList();
  }

  private BatchedStdoutAppender appender(String pattern, ByteArrayOutputStream target) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    BatchedStdoutAppender batched = new BatchedStdoutAppender(() -> target);
    batched.setContext(context);
    batched.setEncoder(encoder);
    batched.start();
    return batched;
  }

  /** The lines written, each line's time of day (its first 12 characters, HH:mm:ss.SSS) checked and cut. */
  private static List<String> withoutTime(ByteArrayOutputStream written) {
    List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).allSatisfy(line -> assertThat(line).containsPattern("^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d "));
    return lines.stream().map(line -> line.substring(12)).toList();
  }

  /** Logs {@code lines} through the events path, then as one batch: the same lines, time of day aside. */
  private void assertBatchWritesTheEventsPathsBytes(List<String> lines) {
    lines.forEach(logger::info);
    appender.stop();
    ByteArrayOutputStream direct = new ByteArrayOutputStream();
    logger.detachAndStopAllAppenders();
    logger.addAppender(appender(ConsoleLogConfigurator.PATTERN, direct));

    boolean written = writer.info(logger.getName(), lines);
    logger.detachAndStopAllAppenders();

    assertThat(written).isTrue();
    assertThat(withoutTime(direct)).hasSize(lines.size()).containsExactlyElementsOf(withoutTime(stdout));
  }

  @Test
  void writesTheBytesTheEventsPathWrites() {
    assertBatchWritesTheEventsPathsBytes(LINES);

    assertThat(stdout.toString(StandardCharsets.UTF_8).lines().toList())
        .allSatisfy(line -> assertThat(line).contains(" INFO  [" + Thread.currentThread().getName() + "] dnslab.batch.test - "));
  }

  @Test
  void writesTheBytesTheEventsPathWritesAcrossManyBatchesWithLinesLeftToTheEncoder() {
    // ~40 KiB: lines written into one batch after another, every 37th not ASCII (left to the
    // encoder, in its place), one longer than a whole batch (written on its own).
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String agent = i % 37 == 0 ? "caf\u00e9/" + i : "curl/" + i;
      lines.add("127.0.0.1:" + (40_000 + i) + " www.google.com \"GET /" + i + " HTTP/1.1\" 200 2498 HTTP/1.1 0.0ms \""
          + agent + "\"");
    }
    lines.add(200, "127.0.0.1:1 www.google.com \"GET /" + "a".repeat(BatchedStdoutAppender.BATCH_BYTES) + " HTTP/1.1\" 414");

    assertBatchWritesTheEventsPathsBytes(lines);
  }

  @Test
  void writesDirectlyThroughTheConsolesOwnEncoderToo() {
    // What ConsoleLogConfigurator installs: the batched appender with a ConsoleLineEncoder, not a pattern encoder.
    LINES.forEach(logger::info);
    appender.stop();
    ConsoleLineEncoder encoder = new ConsoleLineEncoder();
    encoder.setContext(context);
    encoder.start();
    ByteArrayOutputStream direct = new ByteArrayOutputStream();
    BatchedStdoutAppender console = new BatchedStdoutAppender(() -> direct);
    console.setContext(context);
    console.setEncoder(encoder);
    console.start();
    logger.detachAndStopAllAppenders();
    logger.addAppender(console);

    boolean written = writer.info(logger.getName(), LINES);
    logger.detachAndStopAllAppenders();

    assertThat(written).isTrue();
    assertThat(withoutTime(direct)).hasSize(LINES.size()).containsExactlyElementsOf(withoutTime(stdout));
  }

  @Test
  void leavesTheLinesToTheEventsPathWhenTheAppenderHasAFilter() {
    appender.addFilter(new Filter<>() {
      @Override
      public FilterReply decide(ILoggingEvent event) {
        return FilterReply.NEUTRAL;
      }
    });

    assertNothingWrittenDirectly();
  }

  @Test
  void leavesTheLinesToTheEventsPathWhenTheContextHasATurboFilter() {
    context.addTurboFilter(new TurboFilter() {
      @Override
      public FilterReply decide(
          Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        return FilterReply.NEUTRAL;
      }
    });

    assertNothingWrittenDirectly();
  }

  @Test
  void leavesTheLinesToTheEventsPathWhenTheParentsAppendersGetThemToo() {
    logger.setAdditive(true);

    assertNothingWrittenDirectly();
  }

  @Test
  void leavesTheLinesToTheEventsPathWhenTheLoggerHasAnotherAppender() {
    ListAppender<ILoggingEvent> another = new ListAppender<>();
    another.setContext(context);
    another.start();
    logger.addAppender(another);

    assertNothingWrittenDirectly();
  }

  @Test
  void leavesTheLinesToTheEventsPathWhenTheAppendersEncoderHasAnotherPattern() {
    logger.detachAndStopAllAppenders();
    logger.addAppender(appender("%msg%n", stdout));

    assertNothingWrittenDirectly();
  }

  @Test
  void writesNothingWhenTheLoggerIsOffForInfo() {
    logger.setLevel(Level.WARN);

    assertNothingWrittenDirectly();
  }

  @Test
  void leavesTheLinesToTheEventsPathOfAContextSlf4jDoesNotLogTo() {
    LoggerContext other = new LoggerContext();
    ConsoleLogConfigurator.logToStdout(other);

    assertThat(new BatchedInfoLines(other).info(ConsoleLogConfigurator.ACCESS_LOGGER, LINES)).isFalse();
    other.stop();
  }

  private void assertNothingWrittenDirectly() {
    boolean written = writer.info(logger.getName(), LINES);
    logger.detachAndStopAllAppenders();

    assertThat(written).isFalse();
    assertThat(stdout.size()).isZero();
  }
}
