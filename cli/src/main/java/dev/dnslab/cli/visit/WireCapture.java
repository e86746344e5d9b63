package dev.dnslab.cli.visit;

import dev.dnslab.cli.visit.VisitReport.Packet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The packets of exactly one TCP connection, captured from the loopback interface by tshark. The
 * client socket is bound before it connects, so the filter names both ends ({@code host A and
 * port P and port LP}) and nothing else on the machine is captured.
 *
 * <p>Capturing needs root or the CAP_NET_RAW capability on dumpcap; without it {@link #start}
 * returns null and says why in {@link #unavailableReason()}.
 */
final class WireCapture implements AutoCloseable {
  /** tshark forks dumpcap and opens the interface: about a second on a laptop. */
  private static final long START_TIMEOUT_MILLIS = 10_000;
  /** Without a "Capture started" line, how long after "Capturing on" the interface is surely open. */
  private static final long ANNOUNCE_GRACE_MILLIS = 1_500;
  /** The capture's own end, in case this process dies without stopping it. */
  private static final int MAX_CAPTURE_SECONDS = 60;

  private static volatile String unavailableReason;

  private final Process process;
  private final List<String[]> rows = new ArrayList<>();
  private final Thread reader;
  private final InetSocketAddress client;

  private WireCapture(Process process, InetSocketAddress client) {
    this.process = process;
    this.client = client;
    this.reader = new Thread(this::readRows, "tshark-reader");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /** Why the last {@link #start} returned null. */
  static String unavailableReason() {
    return unavailableReason;
  }

  /** Starts tshark for the connection {@code client <-> server}; null when capturing is not possible. */
  static WireCapture start(String tshark, String networkInterface, InetSocketAddress client, InetSocketAddress server) {
    String filter = "tcp and host " + server.getAddress().getHostAddress() + " and port " + server.getPort()
        + " and port " + client.getPort();
    ProcessBuilder builder = new ProcessBuilder(tshark, "-i", networkInterface, "-n", "-l",
        "-a", "duration:" + MAX_CAPTURE_SECONDS, "-f", filter, "-T", "fields", "-E", "separator=|",
        "-e", "frame.time_epoch", "-e", "ip.src", "-e", "tcp.srcport",
        "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "tcp.flags.fin", "-e", "tcp.flags.reset",
        "-e", "tcp.seq_raw", "-e", "tcp.ack_raw", "-e", "tcp.seq", "-e", "tcp.ack", "-e", "tcp.len");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      unavailableReason = tshark + " is not installed (" + e.getMessage() + ")";
      return null;
    }
    // tshark says "Capturing on 'lo'" before dumpcap has the interface open, and "Capture started"
    // (a MESSAGE log line in tshark 4) once it has; older versions only print the first.
    CountDownLatch capturing = new CountDownLatch(1);
    long[] announcedAt = {0};
    StringBuilder errors = new StringBuilder();
    Thread stderr = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.contains("Capture started")) {
            capturing.countDown();
          } else if (line.startsWith("Capturing on")) {
            announcedAt[0] = System.nanoTime();
          } else if (!line.startsWith("Running as user") && !line.contains("[Main MESSAGE]")) {
            synchronized (errors) {
              errors.append(line.strip()).append(' ');
            }
          }
        }
      } catch (IOException ignored) {
        // tshark went away; the latch tells the rest.
      }
    }, "tshark-stderr");
    stderr.setDaemon(true);
    stderr.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
      while (!capturing.await(50, TimeUnit.MILLISECONDS)) {
        if (announcedAt[0] != 0 && System.nanoTime() - announcedAt[0] > TimeUnit.MILLISECONDS.toNanos(ANNOUNCE_GRACE_MILLIS)) {
          break;
        }
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroy();
          synchronized (errors) {
            unavailableReason = "tshark could not capture on " + networkInterface + ": "
                + (errors.length() == 0 ? "no start within " + START_TIMEOUT_MILLIS + " ms" : errors.toString().strip());
          }
          return null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
      return null;
    }
    return new WireCapture(process, client);
  }

  private void readRows() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (rows) {
          rows.add(line.split("\\|", -1));
          rows.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // The capture was stopped.
    }
  }

  /** Waits until {@code enough} says the packets seen so far are complete, or the deadline passes. */
  List<Packet> awaitPackets(java.util.function.Predicate<List<Packet>> enough, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    synchronized (rows) {
      while (true) {
        List<Packet> packets = packets();
        long left = deadline - System.currentTimeMillis();
        if (enough.test(packets) || left <= 0) {
          return packets;
        }
        try {
          rows.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return packets;
        }
      }
    }
  }

  /** Every segment so far, named (SYN, SYN-ACK, ACK, FIN-ACK, ...). States are filled in by {@link TcpStates}. */
  List<Packet> packets() {
    List<Packet> packets = new ArrayList<>();
    synchronized (rows) {
      double first = -1;
      for (String[] row : rows) {
        if (row.length < 12 || row[0].isEmpty()) {
          continue;
        }
        double time = Double.parseDouble(row[0]);
        if (first < 0) {
          first = time;
        }
        // The filter names both ports, so the source port alone tells the two ends apart.
        boolean fromClient = row[2].equals(Integer.toString(client.getPort()));
        boolean syn = flag(row[3]);
        boolean ack = flag(row[4]);
        boolean fin = flag(row[5]);
        boolean rst = flag(row[6]);
        String flags = rst ? "RST" : syn && ack ? "SYN-ACK" : syn ? "SYN" : fin && ack ? "FIN-ACK" : fin ? "FIN"
            : number(row[11]) > 0 ? "PSH-ACK" : "ACK";
        packets.add(new Packet(fromClient ? "client" : "server", flags, number(row[7]), ack ? number(row[8]) : 0,
            number(row[9]), ack ? number(row[10]) : 0, null, Math.round((time - first) * 1_000_000) / 1000.0));
      }
    }
    return packets;
  }

  private static boolean flag(String value) {
    return value.equals("1") || value.equalsIgnoreCase("true");
  }

  private static long number(String value) {
    return value.isEmpty() ? 0 : Long.parseLong(value);
  }

  /** Stops tshark (by its own process handle) and waits for it to go. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      reader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
