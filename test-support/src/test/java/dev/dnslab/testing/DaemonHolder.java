package dev.dnslab.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A test JVM in miniature, for {@link DaemonProcessTest}: starts {@code sleep 300} as a
 * {@link DaemonProcess} in the folder {@code args[0]}, writes its PID to {@code daemon.pid} there,
 * and holds it until its own standard input ends (so it never outlives the test that started it).
 */
public final class DaemonHolder {
  private DaemonHolder() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    DaemonProcess daemon = DaemonProcess.start(List.of("sleep", "300"), dir, dir.resolve("sleep.log"));
    Path written = Files.writeString(dir.resolve("daemon.pid.new"), String.valueOf(daemon.pid()));
    Files.move(written, dir.resolve("daemon.pid"), StandardCopyOption.ATOMIC_MOVE);
    while (System.in.read() >= 0) {
      // Held until the test closes this JVM's input, or kills it.
    }
    daemon.close();
  }
}
