package dev.dnslab.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A DNS daemon (Unbound, Knot Resolver, BIND, PowerDNS Recursor) run in the foreground by a test:
 * its config in a folder of the test's own, its output in a log file, ready once it answers a
 * query, and stopped by its own PID (SIGTERM, then SIGKILL after a grace period), never by name.
 * It also ends when the JVM that started it ends, however that ends (SIGKILL, a surefire timeout, a
 * cancelled build), so no daemon outlives its test holding ports.
 *
 * <pre>{@code
 * try (DaemonProcess unbound = DaemonProcess.start(List.of(path, "-d", "-c", conf), dir, dir.resolve("unbound.log"))) {
 *   unbound.awaitAnswering(address, DaemonProcess.STARTUP);
 *   ...
 * }
 * }</pre>
 */
public final class DaemonProcess implements AutoCloseable {
  /** How long a daemon may take to answer its first query: BIND loads for a few seconds. */
  public static final Duration STARTUP = Duration.ofSeconds(10);

  /** How long it may take to go after SIGTERM, and again after SIGKILL. */
  private static final long GRACE_SECONDS = 5;

  /** How long one readiness probe waits for its answer. */
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(200);

  /** How many log lines a failure message quotes. */
  private static final int TAIL_LINES = 40;

  /**
   * Runs the daemon ({@code "$@"}) in the shell's place, so its PID, exit code and output are the
   * daemon's own, with a watcher beside it that blocks on standard input: a pipe whose only writer
   * is this JVM. When the JVM ends, however it ends, the kernel closes that end; the watcher reads
   * EOF and stops the daemon by its PID ({@code $$}): SIGTERM, then SIGKILL after the grace
   * {@link #close()} gives. It signals only while the daemon is still its parent: once the daemon
   * has exited (after {@code close()} the JVM closes the pipe too), the watcher has another parent
   * and that PID may be someone else's. A background job's standard input is /dev/null (POSIX), so
   * the watcher reads the pipe as fd 3, which the daemon does not get.
   */
  private static final String ENDS_WITH_THE_JVM = """
      daemon_is_parent() { read -r _ _ _ parent _ </proc/self/stat; [ "$parent" = $$ ]; }
      exec 3<&0
      {
        while read -r _ <&3; do :; done
        daemon_is_parent || exit 0
        kill -TERM $$
        tries=%d
        while [ $tries -gt 0 ] && daemon_is_parent; do sleep 0.1; tries=$((tries - 1)); done
        if daemon_is_parent; then kill -KILL $$; fi
      } &
      exec "$@" 3<&-
      """.formatted(GRACE_SECONDS * 10);

  private final Process process;
  private final Path log;
  private final String name;

  private DaemonProcess(Process process, Path log, String name) {
    this.process = process;
    this.log = log;
    this.name = name;
  }

  /** Starts {@code command} in {@code workDir}, standard output and error both to {@code log}. */
  public static DaemonProcess start(List<String> command, Path workDir, Path log) throws IOException {
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", ENDS_WITH_THE_JVM, "sh"));
    wrapped.addAll(command);
    Process process = new ProcessBuilder(wrapped)
        .directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE) // the watcher's pipe: nothing is written, only closed
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    return new DaemonProcess(process, log, Path.of(command.get(0)).getFileName().toString());
  }

  /**
   * Polls {@code address} with a query for {@code localhost.} (any response, whatever its rcode,
   * means the daemon is listening) until {@code timeout}; fails with the log when it exits or never answers.
   */
  public DaemonProcess awaitAnswering(InetSocketAddress address, Duration timeout) throws IOException {
    SimpleResolver client = new SimpleResolver(address);
    client.setTimeout(PROBE_TIMEOUT);
    Message probe = Message.newQuery(Record.newRecord(Name.fromConstantString("localhost."), Type.A, DClass.IN));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with " + process.exitValue() + " before answering on " + address
            + ":\n" + tail());
      }
      try {
        // Only a response counts (QR set, RFC 1035 4.1.1). Until the daemon binds its port, the
        // port is free, and the probe's own socket can be given it as its source port: the kernel
        // then delivers the probe to itself, and dnsjava takes the echoed query, same ID, as an
        // empty NOERROR answer. That made BindCookiesTest and the BIND matrix query a named that
        // was not listening yet (PortUnreachable; "NOERROR" with no data in 1 ms).
        if (client.send(probe).getHeader().getFlag(Flags.QR)) {
          return this;
        }
      } catch (IOException notYet) {
        if (System.nanoTime() - deadline > 0) {
          throw new IOException(name + " did not answer on " + address + " within " + timeout + ":\n" + tail());
        }
      }
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Everything the daemon wrote so far. */
  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** The last lines of the log, for failure messages. */
  public String tail() {
    String[] lines = log().split("\n");
    return Stream.of(lines).skip(Math.max(0, lines.length - TAIL_LINES)).collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM to this PID only
    try {
      if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(GRACE_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
