package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Access-log lines reach stdout in batches: in order, none lost, none held for long. */
class BatchedStdoutAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final CountingStdout stdout = new CountingStdout();
  private final BatchedStdoutAppender appender = new BatchedStdoutAppender(() -> stdout);

  /** A stand-in for stdout that counts the writes a real one would turn into write(2) calls. */
  private static final class CountingStdout extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int writes;

    @Override
    public synchronized void write(int b) {
      writes++;
      bytes.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes++;
      bytes.write(b, off, len);
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized int writes() {
      return writes;
    }
  }

  BatchedStdoutAppenderTest() {
    start(appender);
  }

  private void start(BatchedStdoutAppender appender) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.start();
  }

  @AfterEach
  void stop() {
    appender.stop();
  }

  private void log(String message) {
    log(appender, message);
  }

  private void log(BatchedStdoutAppender appender, String message) {
    appender.doAppend(
        new LoggingEvent(getClass().getName(), context.getLogger("dnslab.access"), Level.INFO, message, null, null));
  }

  private static List<String> lines(int count) {
    return IntStream.range(0, count).mapToObj(i -> "GET /" + i + " 200").toList();
  }

  @Test
  void writesEveryLineInOrderAndLosesNoneOnStop() {
    List<String> lines = lines(5_000);
    lines.forEach(this::log);

    appender.stop();

    assertThat(stdout.text().lines()).containsExactlyElementsOf(lines);
  }

  @Test
  void writesManyLinesInFewWrites() {
    // The flush bound out of reach: every write is of a full batch or the stop's, however slowly
    // a loaded machine runs this thread (at 5 ms a slow loop would flush many part-filled batches).
    appender.stop();
    BatchedStdoutAppender batchesOnly = new BatchedStdoutAppender(() -> stdout, Duration.ofHours(1));
    start(batchesOnly);
    List<String> lines = lines(5_000);
    lines.forEach(line -> log(batchesOnly, line));
    batchesOnly.stop();

    // About 60 KiB of lines: one write per 8 KiB batch (written when the next line would not fit,
    // so with at most a line's bytes to spare), and the stop's; not one per line.
    int bytes = lines.stream().mapToInt(line -> line.length() + System.lineSeparator().length()).sum();
    int longest = lines.get(lines.size() - 1).length() + System.lineSeparator().length();
    assertThat(stdout.writes()).isLessThanOrEqualTo(bytes / (BatchedStdoutAppender.BATCH_BYTES - longest) + 1);
  }

  @Test
  void writesALineWithinTheFlushBoundWithoutAnotherLineOrAStop() throws InterruptedException {
    long start = System.nanoTime();
    log("GET / 200");

    // Poll to a deadline far above the bound: a slow machine must not fail the test.
    long deadline = start + 5_000_000_000L;
    while (stdout.text().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }

    assertThat(stdout.text()).isEqualTo("GET / 200" + System.lineSeparator());
    assertThat(stdout.writes()).isEqualTo(1);
  }

  private void awaitText(String expected) throws InterruptedException {
    // Poll to a deadline far above the flush bound: a slow machine must not fail the test.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!stdout.text().equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(stdout.text()).isEqualTo(expected);
  }

  @Test
  void writesALoneLineThatWakesTheFlushThreadFromItsSleepWithoutADeadline() throws InterruptedException {
    String separator = System.lineSeparator();
    log("GET /first 200");
    awaitText("GET /first 200" + separator);
    // With nothing to write the flush thread sleeps without a deadline (WAITING, not TIMED_WAITING).
    Thread flushThread = appender.flushThread();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (flushThread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(flushThread.getState()).isEqualTo(Thread.State.WAITING);

    log("GET /second 200");

    awaitText("GET /first 200" + separator + "GET /second 200" + separator);
    assertThat(stdout.writes()).isEqualTo(2);
  }

  @Test
  void endsItsFlushThreadOnStopAndStartsAnotherWhenRestarted() throws InterruptedException {
    Thread first = appender.flushThread();

    appender.stop();
    first.join(5_000);
    appender.start();

    assertThat(first.isAlive()).isFalse();
    assertThat(appender.flushThread()).isNotNull().isNotSameAs(first);
    assertThat(appender.flushThread().isAlive()).isTrue();
  }

  @Test
  void flushesOnStopAndBatchesAgainWhenRestarted() {
    log("before stop");
    appender.stop();
    int writesAtStop = stdout.writes();

    // Restarted, as logback restarts its appenders when it is reconfigured.
    appender.start();
    log("after restart");
    appender.stop();

    assertThat(stdout.text().lines()).containsExactly("before stop", "after restart");
    assertThat(writesAtStop).isEqualTo(1);
  }

  @Test
  void keepsTheOrderOfLinesFromManyThreads() throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String thread = "t" + t;
      Thread writer = new Thread(() -> lines(2_000).forEach(line -> log(thread + " " + line)));
      writer.start();
      threads.add(writer);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    appender.stop();

    List<String> written = stdout.text().lines().toList();
    assertThat(written).hasSize(8_000);
    for (int t = 0; t < 4; t++) {
      String prefix = "t" + t + " ";
      assertThat(written.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length())))
          .containsExactlyElementsOf(lines(2_000));
    }
  }
}
