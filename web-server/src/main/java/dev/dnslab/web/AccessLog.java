package dev.dnslab.web;

import dev.dnslab.core.log.InfoLineBatches;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, close to nginx's "combined" format plus the protocol and the time taken:
 * {@code 127.0.0.1:51234 www.google.com "GET / HTTP/1.1" 200 1432 h2 0.4ms "curl/7.88.1"}.
 * Logger {@code dnslab.access}; turn it off with {@code -Dlogback...} or a level of OFF.
 *
 * <p>The event loop only builds each line; one writer thread hands them to the logger, in order.
 * Appending to the log (layout, encoding, one write to stdout per line) cost as much as answering
 * the request, and the event loop is the one thread that answers. Lines collected during one pass
 * of an event loop travel together, so the writer is woken once per pass, not once per request.
 * Nothing is dropped: when the writer falls {@link #MAX_PENDING_BATCHES} behind, the event loop
 * waits for it.
 *
 * <p>Under load the writer wakes at most once per {@link #GATHER_FOR}: after writing, when nothing
 * is left, it waits that long before it asks for the next batch, and the batches of the event
 * loops' passes meanwhile wait in the queue, where handing one over wakes no one. Waking the writer
 * for every pass (some 2,400 a second under wrk -c50) was 3.7 % of the server's CPU samples, in the
 * event loop's unpark and the writer's park (async-profiler). A lone request's line is written at
 * once, as before; a line waits at most this much longer for the log, and the console appender
 * batches its writes for 5 ms anyway.
 */
final class AccessLog {
  private static final Logger log = LoggerFactory.getLogger("dnslab.access");

  /** Batches waiting for the writer before an event loop blocks on it (back-pressure, not loss). */
  static final int MAX_PENDING_BATCHES = 4096;

  /** How long the writer lets batches gather after writing the last one. */
  static final Duration GATHER_FOR = Duration.ofMillis(2);

  private static final BlockingQueue<List<String>> pending = new LinkedBlockingQueue<>(MAX_PENDING_BATCHES);
  /** The lines of the current event-loop pass, per event loop thread; null until the first line. */
  private static final FastThreadLocal<List<String>> batch = new FastThreadLocal<>();
  private static final Object writerLock = new Object();
  private static Thread writer;
  /** Batches handed to the writer and batches it has logged (both guarded by writerLock). */
  private static long handedOff;
  private static long logged;

  private AccessLog() {}

  /** Records one answered request; called on {@code loop}, the event loop that answered it. */
  static void record(
      EventExecutor loop, WebExchange exchange, String host, int status, long bodyBytes, long durationNanos) {
    if (!log.isInfoEnabled()) {
      return;
    }
    String line = format(exchange, host, status, bodyBytes, durationNanos);
    List<String> lines = batch.get();
    if (lines == null) {
      List<String> fresh = new ArrayList<>();
      batch.set(fresh);
      lines = fresh;
      // Runs after this pass's reads and writes: the whole pass goes to the writer as one batch.
      loop.execute(() -> handOff(fresh));
    }
    lines.add(line);
  }

  private static void handOff(List<String> lines) {
    batch.remove();
    synchronized (writerLock) {
      startWriter();
      handedOff++;
    }
    try {
      pending.put(lines);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lines.forEach(log::info);
      synchronized (writerLock) {
        logged++;
      }
    }
  }

  private static void startWriter() {
    if (writer == null) {
      writer = new Thread(AccessLog::writeLines, "dnslab-access-log");
      writer.setDaemon(true);
      writer.start();
    }
  }

  private static void writeLines() {
    while (true) {
      List<String> lines;
      try {
        lines = pending.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        write(lines);
      } finally {
        synchronized (writerLock) {
          logged++;
          writerLock.notifyAll();
        }
      }
      if (pending.isEmpty()) {
        // An interrupt ends the wait early, and the take() above then ends the writer.
        LockSupport.parkNanos(GATHER_FOR.toNanos());
      }
    }
  }

  /**
   * Logs one batch: straight to the console's batched appender where the logging set-up allows
   * (the dnslab launcher's own, {@link InfoLineBatches}), else as one logging event per line,
   * through whatever a logback configuration file set up. The same lines either way.
   */
  private static void write(List<String> lines) {
    if (!InfoLineBatches.info(log.getName(), lines)) {
      lines.forEach(log::info);
    }
  }

  /**
   * Waits up to {@code timeout} until every line handed to the writer is logged: a server that
   * stops has its last requests in the log. Call after the event loops have run their last tasks.
   */
  static void flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (writerLock) {
      while (logged < handedOff) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          writerLock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The line for one answered request (package-private for AccessLogTest: its bytes are the log's format). */
  static String format(WebExchange exchange, String host, int status, long bodyBytes, long durationNanos) {
    var request = exchange.request();
    // The field as the header map holds it: no String copied from it just to be appended.
    CharSequence userAgent = RequestFields.of(request.headers()).first(HttpHeaderNames.USER_AGENT);
    if (userAgent == null && exchange.isHttp2()) {
      // The HTTP/2 short way's request has no header fields of its own (see WebExchange).
      userAgent = exchange.http2Headers().get(HttpHeaderNames.USER_AGENT);
    }
    String client = exchange.client() == null ? null : addressText(exchange.client().getAddress());
    // Built by hand and logged as one finished message: no varargs array, no placeholder scan and
    // no String.format on the event loop for every request. Sized for the whole line, so that a
    // browser's User-Agent (Chrome's is 100 characters) does not make it grow and copy itself.
    StringBuilder line =
        new StringBuilder(
            LINE_FIXED_CHARS + (client == null ? 0 : client.length()) + (host == null ? 1 : host.length())
                + request.uri().length() + (userAgent == null ? 1 : userAgent.length()));
    if (client == null) {
      line.append('-');
    } else {
      line.append(client).append(':').append(exchange.client().getPort());
    }
    line.append(' ').append(host == null ? "-" : host)
        .append(" \"").append(request.method().name()).append(' ').append(request.uri()).append(' ')
        .append(exchange.isHttp2() ? "HTTP/2" : request.protocolVersion().text())
        .append("\" ").append(status).append(' ').append(bodyBytes).append(' ').append(exchange.protocol()).append(' ');
    appendMillis(line, durationNanos);
    line.append("ms \"").append(userAgent == null ? "-" : userAgent).append('"');
    return line.toString();
  }

  /**
   * A line's characters besides the client address, host, target and User-Agent: the port, the
   * method, the version, status, byte count, protocol, duration, quotes and spaces, with room to spare.
   */
  private static final int LINE_FIXED_CHARS = 96;

  /**
   * The client's IPv4 address as text, remembered for the next line: the lab's clients are a few
   * loopback or lab addresses, each asking many times, and InetAddress formats it anew at every
   * call. IPv6 addresses are formatted every time (their text may carry a scope, which their
   * equals does not compare). Shared by the event loops; a race formats it twice.
   */
  static String addressText(InetAddress address) {
    if (!(address instanceof Inet4Address)) {
      return address.getHostAddress();
    }
    FormattedAddress last = lastClient;
    if (last == null || !last.address().equals(address)) {
      last = new FormattedAddress(address, address.getHostAddress());
      lastClient = last;
    }
    return last.text();
  }

  private record FormattedAddress(InetAddress address, String text) {}

  private static volatile FormattedAddress lastClient;

  /** Milliseconds with one decimal, rounded half up, as {@code %.1f} prints them. */
  private static void appendMillis(StringBuilder line, long durationNanos) {
    long tenths = (Math.max(0, durationNanos) + 50_000) / 100_000;
    line.append(tenths / 10).append('.').append(tenths % 10);
  }
}
