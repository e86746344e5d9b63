package dev.dnslab.core.dnssec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real NSD or Unbound in the foreground with its own config in a temporary folder, ready once it
 * answers, and stopped by its PID (never by name).
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final InetSocketAddress address;
  private final Path log;

  private ServerProcess(Process process, InetSocketAddress address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  /** Starts {@code command}; ready once {@code probe} gets any answer from {@code address}. */
  static ServerProcess start(List<String> command, InetSocketAddress address, Path log, Name probe)
      throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServerProcess server = new ServerProcess(process, address, log);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(command.get(0) + " exited: " + Files.readString(log));
      }
      try {
        server.query(probe, Type.SOA, false);
        return server;
      } catch (IOException notYet) {
        // not listening yet: poll again until the deadline
      }
    }
    server.close();
    throw new IOException(command.get(0) + " did not answer within 15 s: " + Files.readString(log));
  }

  /** One query over UDP (TCP on truncation), with the DO bit when {@code dnssecOk}. */
  Message query(Name name, int type, boolean dnssecOk) throws IOException {
    SimpleResolver resolver = new SimpleResolver(address);
    resolver.setTimeout(Duration.ofSeconds(5));
    if (dnssecOk) {
      resolver.setEDNS(0, 1232, org.xbill.DNS.ExtendedFlags.DO, List.of());
    }
    return resolver.send(Message.newQuery(Record.newRecord(name, type, org.xbill.DNS.DClass.IN)));
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM to this PID only; NSD's parent stops its own children
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
