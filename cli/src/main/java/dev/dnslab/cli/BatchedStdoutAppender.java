package dev.dnslab.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Writes encoded log lines to stdout in batches: one write of up to {@link #BATCH_BYTES} bytes,
 * at the latest {@link #FLUSH_WITHIN} after the first line of the batch. For loggers that write a
 * line per request (the web server's access log): logback's ConsoleAppender writes and flushes
 * every line on its own, and under load that was two write(2) system calls per request, as many as
 * answering it.
 *
 * <p>Nothing is lost: {@link #stop()} writes what is buffered, and once the JVM begins to shut down
 * (a shutdown hook) the appender writes every line as it comes, so lines logged by other shutdown
 * hooks (a server closing and logging its last requests) still reach stdout. Lines keep their order:
 * one lock covers the buffer and the writes.
 *
 * <p>One thread writes a batch that waited its {@link #FLUSH_WITHIN}: it sleeps until the current
 * batch's deadline, and without a batch until a line starts one. Under load a batch fills before
 * its deadline and the thread sleeps on to the next batch's, woken by no one; only the line that
 * finds that thread asleep without a deadline wakes it. A scheduled executor did the same with a
 * task per batch: a queue lock, a task and a wake-up of its thread from the logging thread for
 * each, and its thread woke twice (to take the task, then at its delay): its thread took 1.7 % of
 * the web server's CPU samples under wrk -c50, this one 0.4 % (async-profiler, bench/web/run.sh's
 * server).
 *
 * <p>With the console's own pattern ({@link ConsoleLogConfigurator#PATTERN}), a line's bytes are made
 * directly ({@link ConsolePatternBytes}), the same bytes the encoder would make, without its layout.
 */
public final class BatchedStdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  /** One pipe buffer page's worth; stdout's own PrintStream buffer is as large, so a batch is one write. */
  static final int BATCH_BYTES = 8192;

  /** How long a line may wait for its batch: well below what a person watching the log notices. */
  static final Duration FLUSH_WITHIN = Duration.ofMillis(5);

  private final Supplier<OutputStream> target;
  private final long flushWithinNanos;
  private final Object lock = new Object();
  private final byte[] batch = new byte[BATCH_BYTES];
  private Encoder<ILoggingEvent> encoder;
  /** The encoder's bytes made directly, when its pattern is the console's; else null. */
  private ConsolePatternBytes direct;
  private Thread shutdownHook;
  /** Guarded by lock: the thread that writes batches at their deadline, from start to stop. */
  private Thread flusher;
  /** Guarded by lock. */
  private int length;
  /** Guarded by lock: when the current batch (length > 0) must be written, in System.nanoTime(). */
  private long deadline;
  /** Guarded by lock: the flusher sleeps until a line starts a batch, and that line must wake it. */
  private boolean flusherWaitsForALine;
  /** Guarded by lock: from shutdown or stop on, every line is written at once. */
  private boolean writeThrough;

  /** Writes to {@code System.out} as it is at each write, as ConsoleAppender does. */
  public BatchedStdoutAppender() {
    this(() -> System.out);
  }

  BatchedStdoutAppender(Supplier<OutputStream> target) {
    this(target, FLUSH_WITHIN);
  }

  /**
   * @param flushWithin how long a line may wait for its batch, {@link #FLUSH_WITHIN} outside tests;
   *     a test that counts the writes of full batches sets it out of reach of a slow logging thread
   */
  BatchedStdoutAppender(Supplier<OutputStream> target, Duration flushWithin) {
    this.target = target;
    this.flushWithinNanos = flushWithin.toNanos();
  }

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (encoder == null) {
      addError("no encoder set for the appender named \"" + name + "\"");
      return;
    }
    direct = ConsolePatternBytes.forEncoder(encoder);
    Thread thread = new Thread(this::flushAtDeadlines, "dnslab-log-flush");
    thread.setDaemon(true);
    shutdownHook = new Thread(this::writeThroughFromNowOn, "dnslab-log-flush-at-exit");
    boolean shuttingDown = false;
    try {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Logging first set up while the JVM already shuts down: no batch could wait for a flush.
      shuttingDown = true;
    }
    synchronized (lock) {
      writeThrough = shuttingDown;
      flusherWaitsForALine = false;
      flusher = thread;
    }
    thread.start();
    super.start();
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    Thread stopping;
    synchronized (lock) {
      writeThrough = true;
      flushLocked();
      stopping = flusher;
      flusher = null;
    }
    LockSupport.unpark(stopping); // it finds that it is no longer the flusher, and ends
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs, has run or was never added; it only does what stop() just did.
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    byte[] line = direct != null ? direct.encode(event) : null;
    if (line == null) {
      line = encoder.encode(event);
    }
    synchronized (lock) {
      appendLocked(line);
    }
  }

  /**
   * Appends each message as the line an INFO event of {@code logger}, logged on this thread now,
   * would make: the bytes {@link #append} writes for it, without making the event (or, for what
   * {@link ConsolePatternBytes} leaves to the encoder, with one). False, having appended none, when
   * only the events path can append them: the appender stopped, a filter attached, or an encoder
   * whose bytes are not made directly. The caller has checked that the event would reach this
   * appender (level, turbo filters, additivity).
   */
  boolean appendInfo(Logger logger, List<String> messages) {
    ConsolePatternBytes bytes = direct;
    if (!isStarted() || bytes == null || !getCopyOfAttachedFiltersList().isEmpty()) {
      return false;
    }
    String thread = Thread.currentThread().getName();
    String name = logger.getName();
    // The same for every line of the batch: made once (the level, the thread, the shortened logger).
    byte[] middle = bytes.middle(Level.INFO, thread, name);
    synchronized (lock) {
      for (String message : messages) {
        if (middle != null && appendInBatchLocked(bytes, middle, message)) {
          continue;
        }
        byte[] line = bytes.encode(System.currentTimeMillis(), Level.INFO, thread, name, message);
        if (line == null) {
          line = encoder.encode(new LoggingEvent(Logger.FQCN, logger, Level.INFO, message, null, null));
        }
        appendLocked(line);
      }
    }
    return true;
  }

  /**
   * Writes a message's line straight into the batch, without an array of its own; false, having
   * appended nothing, when {@link #appendLocked} must take it (write-through, a line as long as a
   * batch, text that is not ASCII).
   */
  private boolean appendInBatchLocked(ConsolePatternBytes bytes, byte[] middle, String message) {
    int size = ConsolePatternBytes.lineLength(middle, message);
    if (writeThrough || size >= batch.length) {
      return false;
    }
    if (length + size > batch.length) {
      flushLocked();
    }
    int end = bytes.write(System.currentTimeMillis(), middle, message, batch, length);
    if (end < 0) {
      return false; // the bytes past length are not the batch's, and the next line overwrites them
    }
    startingBatchLocked();
    length = end;
    return true;
  }

  private void appendLocked(byte[] line) {
    if (writeThrough) {
      write(line, line.length);
      return;
    }
    if (length + line.length > batch.length) {
      flushLocked();
    }
    if (line.length >= batch.length) {
      write(line, line.length);
      return;
    }
    startingBatchLocked();
    System.arraycopy(line, 0, batch, length, line.length);
    length += line.length;
  }

  /** Before a line goes into the batch: if it is the batch's first, its deadline, and a flusher woken to keep it. */
  private void startingBatchLocked() {
    if (length == 0) {
      deadline = System.nanoTime() + flushWithinNanos;
      if (flusherWaitsForALine) {
        flusherWaitsForALine = false;
        LockSupport.unpark(flusher);
      }
    }
  }

  /**
   * The flusher's loop: writes the batch once its deadline has passed; sleeps until the deadline of
   * the batch there is, or until a line starts one. Ends once it is no longer this appender's
   * flusher (stopped, or stopped and started again), having written nothing of a later start's.
   */
  private void flushAtDeadlines() {
    Thread self = Thread.currentThread();
    while (true) {
      long sleepNanos;
      synchronized (lock) {
        if (flusher != self) {
          return;
        }
        if (length == 0) {
          flusherWaitsForALine = true;
          sleepNanos = 0;
        } else {
          sleepNanos = deadline - System.nanoTime();
          if (sleepNanos <= 0) {
            flushLocked();
            continue;
          }
        }
      }
      // A line that starts a batch between the lock's release and this park has already unparked
      // this thread, and the park returns at once; a spurious return only loops once more.
      if (sleepNanos == 0) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, sleepNanos);
      }
    }
  }

  /** The thread that writes batches at their deadline; null when stopped (for tests). */
  Thread flushThread() {
    synchronized (lock) {
      return flusher;
    }
  }

  private void writeThroughFromNowOn() {
    synchronized (lock) {
      writeThrough = true;
      flushLocked();
    }
  }

  private void flushLocked() {
    if (length > 0) {
      write(batch, length);
      length = 0;
    }
  }

  private void write(byte[] bytes, int count) {
    try {
      OutputStream out = target.get();
      out.write(bytes, 0, count);
      out.flush();
    } catch (IOException e) {
      // As ConsoleAppender: a log that cannot be written must not stop the server.
      addError("cannot write to stdout", e);
    }
  }
}
