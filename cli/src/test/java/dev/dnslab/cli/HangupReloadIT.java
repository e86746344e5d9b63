package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.HangupDefault;
import dev.dnslab.core.testing.Poll;
import dev.dnslab.lab.ExternalCommand;
import dev.dnslab.testing.FreePort;
import dev.dnslab.testing.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP makes a running authority server re-read its zones, as it does for named and nsd; a bad
 * edit is refused and the server keeps answering from its last good zone.
 */
class HangupReloadIT {
  private static final String ZONE =
      "$ORIGIN hup.test.\n$TTL 300\n@ SOA ns1 admin %d 900 900 1800 60\n@ NS ns1\nns1 A 192.0.2.1\nwww A %s\n";

  @TempDir Path dir;

  @Test
  void reloadsOnSighupAndKeepsLastGoodZoneOnABadEdit() throws Exception {
    Tool.DIG.require();
    Path zone = dir.resolve("hup.test.zone");
    Files.writeString(zone, String.format(ZONE, 1, "192.0.2.10"));
    String port = String.valueOf(FreePort.find());
    // SIGHUP at its default disposition even when the build runs under nohup (a JVM cannot trap an ignored one).
    Process server = new ProcessBuilder(HangupDefault.command(List.of("java", "-cp", Path.of("target/dnslab.jar").toAbsolutePath().toString(),
        "dev.dnslab.authoritative.AuthoritativeNameServer", "--address", "127.0.0.1", "--port", port,
        "--admin-port", String.valueOf(FreePort.find()), "--zones", dir.toString())))
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    try {
      List<String> dig = List.of("dig", "+short", "+time=1", "+tries=1", "@127.0.0.1", "-p", port, "www.hup.test");
      try {
        Poll.until(Duration.ofSeconds(20), () -> answer(dig).equals("192.0.2.10"), "first answer");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; dig says " + answer(dig) + "; server log:\n" + log(dir), e);
      }

      Files.writeString(zone, String.format(ZONE, 2, "192.0.2.20"));
      hangup(server);
      Poll.until(Duration.ofSeconds(10), () -> answer(dig).equals("192.0.2.20"), "answer after SIGHUP");

      Files.writeString(zone, String.format(ZONE, 3, "192.0.2.999"));
      hangup(server);
      Poll.until(Duration.ofSeconds(10), () -> log(dir).contains("hup.test.zone:6: "), "the reload error, with file and line");
      assertThat(answer(dig)).isEqualTo("192.0.2.20");
      assertThat(server.isAlive()).isTrue();
    } finally {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static void hangup(Process process) throws Exception {
    ExternalCommand.run(List.of("kill", "-HUP", String.valueOf(process.pid())));
  }

  private static String answer(List<String> dig) {
    try {
      return ExternalCommand.run(dig).strip();
    } catch (Exception | AssertionError notYet) {
      return "";
    }
  }

  private static String log(Path dir) {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (IOException e) {
      return "";
    }
  }

}
