package dev.dnslab.core.cookie;

import dev.dnslab.testing.Tool;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs ISC's dig against a server on loopback and returns what it printed. */
public final class Dig {
  private Dig() {}

  public static String ask(InetSocketAddress server, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(Tool.DIG.require(),
        "@" + server.getAddress().getHostAddress(), "-p", String.valueOf(server.getPort()), "+time=2", "+tries=1"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within 30 s");
    }
    return new String(output, StandardCharsets.UTF_8);
  }
}
