package dev.dnslab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonProcessTest {
  /** How long a daemon may take to go once its JVM is gone: SIGTERM, and SIGKILL after 5 s at worst. */
  private static final Duration GONE = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void daemonEndsWhenItsJvmIsKilled() throws Exception {
    // given a JVM holding a daemon
    Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DaemonHolder.class.getName(), dir.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("jvm.log").toFile())
        .start();
    long daemon = -1;
    try {
      Path pidFile = dir.resolve("daemon.pid");
      awaitUntil(() -> Files.exists(pidFile) || !jvm.isAlive(), () -> "the JVM started its daemon\n" + read("jvm.log"));
      assertThat(pidFile).as(read("jvm.log")).exists();
      daemon = Long.parseLong(Files.readString(pidFile));
      assertThat(hasEnded(daemon)).as("the daemon runs").isFalse();

      // when the JVM is killed, with no chance to close it
      jvm.destroyForcibly(); // SIGKILL
      assertThat(jvm.waitFor(GONE.toSeconds(), TimeUnit.SECONDS)).as("the JVM ended").isTrue();

      // then the daemon ends too
      long pid = daemon;
      awaitUntil(() -> hasEnded(pid), () -> "daemon " + pid + " ended with its JVM");
    } finally {
      jvm.destroyForcibly();
      killIfStillSleeping(daemon);
    }
  }

  @Test
  void closeLeavesNothingOfTheDaemonBehind() throws Exception {
    // given a running daemon and everything it started
    DaemonProcess daemon = DaemonProcess.start(List.of("sleep", "300"), dir, dir.resolve("sleep.log"));
    List<ProcessHandle> started;
    try {
      awaitUntil(() -> !ProcessHandle.of(daemon.pid()).orElseThrow().info().command().orElse("").endsWith("sh"),
          () -> "the daemon's own program runs");
      started = ProcessHandle.of(daemon.pid()).orElseThrow().descendants().toList();
    } finally {
      // when it is closed
      daemon.close();
    }

    // then neither it nor anything it started is left
    assertThat(daemon.isAlive()).isFalse();
    for (ProcessHandle process : started) {
      awaitUntil(() -> hasEnded(process.pid()), () -> process.pid() + " (" + process.info().commandLine().orElse("?")
          + ") ended after close");
    }
  }

  @Test
  void reportsTheDaemonsExitCodeAndOutputWhenItEndsBeforeAnswering() throws Exception {
    try (DaemonProcess daemon = DaemonProcess.start(List.of("sh", "-c", "echo no such zone file; exit 3"), dir,
        dir.resolve("daemon.log"))) {
      InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", FreePort.find());
      assertThatThrownBy(() -> daemon.awaitAnswering(nobody, DaemonProcess.STARTUP))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("sh exited with 3 before answering")
          .hasMessageContaining("no such zone file");
    }
  }

  /**
   * Whether {@code pid} has ended: gone, or a zombie (dead, holding nothing, waiting for a parent
   * that does not reap; {@link ProcessHandle#isAlive()} counts those as alive).
   */
  private static boolean hasEnded(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException gone) {
      return ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
    }
  }

  /** Kills {@code pid} by its PID if it is still the test's {@code sleep} (on a build without the fix). */
  private static void killIfStillSleeping(long pid) {
    ProcessHandle.of(pid)
        .filter(process -> process.info().command().orElse("").endsWith("sleep"))
        .ifPresent(ProcessHandle::destroyForcibly);
  }

  private static void awaitUntil(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
    long deadline = System.nanoTime() + GONE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + GONE + ": " + what.get());
      }
      Thread.sleep(10); // back off between checks; the deadline bounds the wait, not this
    }
  }

  private String read(String file) {
    try {
      return Files.readString(dir.resolve(file));
    } catch (IOException e) {
      return "(no " + file + ")";
    }
  }
}
