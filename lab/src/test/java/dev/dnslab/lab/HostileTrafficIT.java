package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.testing.HostilePackets;
import dev.dnslab.core.testing.Poll;
import dev.dnslab.core.wire.DecodedPacket;
import dev.dnslab.core.wire.DnsQueryDecoder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Bad traffic at every DNS role of a running lab: {@value #DEFAULT_UDP_PACKETS} hostile UDP packets
 * and {@value #DEFAULT_TCP_FRAMES} hostile TCP frames each ({@link HostilePackets}: random bytes,
 * bit flips, random counts, compression loops, label bombs, cut messages, overrunning lengths, and
 * over TCP also length prefixes larger than the data). Afterwards every role still answers
 * correctly over UDP and TCP, and its {@code dns_malformed_total} grew by exactly the packets our
 * own decoder calls malformed, less at most what the kernel dropped (UDP may drop under a flood).
 *
 * <p>{@code scripts/dns-flood.sh} sends 10^6 per role: {@code -Ddnslab.flood.udpPackets=1000000}.
 */
class HostileTrafficIT {
  static final int DEFAULT_UDP_PACKETS = 100_000;
  static final int DEFAULT_TCP_FRAMES = 1_000;
  private static final int UDP_PACKETS = Integer.getInteger("dnslab.flood.udpPackets", DEFAULT_UDP_PACKETS);
  private static final int TCP_FRAMES = Integer.getInteger("dnslab.flood.tcpFrames", DEFAULT_TCP_FRAMES);
  /** A bounded rate keeps the run to seconds and the loss small on a shared two-core machine. */
  private static final int PACKETS_PER_SECOND = Integer.getInteger("dnslab.flood.packetsPerSecond", 50_000);
  private static final int FRAMES_PER_CONNECTION = 20;

  @TempDir static Path state;
  private static EmbeddedLab lab;

  @BeforeAll
  static void start() throws Exception {
    lab = EmbeddedLab.builder()
        .plan(AddressPlan.EMBEDDED.withDnsPort(0))
        .zones(Path.of("../zones"))
        .withRecursor()
        .withRouter()
        .encryptedDnsPorts(0, 0)
        .stateDir(state)
        .build()
        .start();
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = LabRole.class, names = {"ROOT", "TLD", "AUTHORITATIVE", "RECURSOR", "ROUTER"})
  void answersCorrectlyAndCountsEveryMalformedPacketAfterAFlood(LabRole role) throws Exception {
    InetSocketAddress target = address(role);
    MeterRegistry registry = registry(role);
    HostilePackets hostile = new HostilePackets(20261203L + role.ordinal()); // replayable
    double malformedBefore = malformed(registry);
    Map<String, Double> byReasonBefore = malformedByReason(registry);
    Map<String, Long> sentByReason = new TreeMap<>();
    long kernelDropsBefore = udpReceiveBufferErrors();
    long started = System.nanoTime();

    // given a flood of hostile UDP packets, sent at a bounded rate
    long expectedMalformed = 0;
    try (DatagramChannel udp = DatagramChannel.open();
        DatagramSocket emptySender = new DatagramSocket()) {
      udp.connect(target);
      udp.configureBlocking(false);
      ByteBuffer reply = ByteBuffer.allocate(65535);
      for (int i = 0; i < UDP_PACKETS; i++) {
        byte[] packet = hostile.next();
        expectedMalformed += isMalformed(packet) ? 1 : 0;
        sentByReason.merge("udp/" + reason(packet), 1L, Long::sum);
        if (packet.length == 0) {
          // A DatagramChannel silently sends nothing for an empty buffer (write returns 0, no
          // syscall); a DatagramSocket puts a real zero-length datagram on the wire.
          emptySender.send(new DatagramPacket(packet, 0, target));
        }
        // A datagram goes whole or not at all; 0 for a non-empty one means the send buffer is full.
        while (packet.length > 0 && udp.write(ByteBuffer.wrap(packet)) == 0) {
          drain(udp, reply);
        }
        // Read the answers as they come, so our own socket's overflow does not count as the
        // kernel dropping the server's packets.
        drain(udp, reply);
        pace(started, i);
      }
    }
    // and hostile TCP frames, each connection ending in a prefix larger than the data that follows
    int connections = 0;
    for (int sent = 0; sent < TCP_FRAMES; connections++) {
      try (Socket tcp = new Socket(target.getAddress(), target.getPort())) {
        DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
        for (int f = 0; f < FRAMES_PER_CONNECTION - 1 && sent < TCP_FRAMES; f++, sent++) {
          byte[] frame = hostile.next();
          expectedMalformed += isMalformed(frame) ? 1 : 0;
          sentByReason.merge("tcp/" + reason(frame), 1L, Long::sum);
          out.writeShort(frame.length);
          out.write(frame);
        }
        byte[] cut = hostile.next();
        out.writeShort(cut.length + 1 + cut.length % 1000); // announces more than follows
        out.write(cut);
        out.flush();
        // FIN, not RST: the server reads everything, then sees the connection end mid-frame.
        tcp.shutdownOutput();
        tcp.setSoTimeout(10_000);
        tcp.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        sent++;
        expectedMalformed++; // counted as truncated-frame when the connection closes
      }
    }
    long floodMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    // then the role still answers correctly over UDP and TCP
    assertAnswersCorrectly(role, target, false);
    assertAnswersCorrectly(role, target, true);
    // and dns_malformed_total accounts for every malformed packet that reached it
    long expected = expectedMalformed;
    try {
      Poll.until(
          Duration.ofSeconds(30),
          () -> malformed(registry) - malformedBefore >= expected - (udpReceiveBufferErrors() - kernelDropsBefore),
          role + ": dns_malformed_total counts the flood");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; sent by reason " + sentByReason + ", counted by reason "
          + difference(malformedByReason(registry), byReasonBefore) + ", kernel drops (all sockets) "
          + (udpReceiveBufferErrors() - kernelDropsBefore), e);
    }
    double counted = malformed(registry) - malformedBefore;
    long kernelDrops = udpReceiveBufferErrors() - kernelDropsBefore;
    System.out.printf(
        "HostileTrafficIT %s: %d UDP packets and %d TCP frames on %d connections in %d ms;"
            + " %d malformed sent, %.0f counted, %d UDP datagrams dropped by the kernel (all sockets)%n",
        role, UDP_PACKETS, TCP_FRAMES, connections, floodMillis, expected, counted, kernelDrops);
    System.out.printf("HostileTrafficIT %s: sent by reason %s, counted by reason %s%n",
        role, sentByReason, difference(malformedByReason(registry), byReasonBefore));
    assertThat(counted).as("never counts more than was sent").isLessThanOrEqualTo(expected);
  }

  private static void drain(DatagramChannel udp, ByteBuffer reply) throws IOException {
    do {
      reply.clear();
    } while (udp.read(reply) > 0);
  }

  private static String reason(byte[] packet) {
    DecodedPacket decoded = DnsQueryDecoder.decode(packet);
    if (decoded instanceof DecodedPacket.Rejected rejected) {
      return rejected.reason().tag();
    }
    return decoded instanceof DecodedPacket.Dropped dropped ? dropped.reason().tag() : "query";
  }

  private static Map<String, Double> malformedByReason(MeterRegistry registry) {
    Map<String, Double> byReason = new TreeMap<>();
    for (Counter c : registry.find(DnsMetrics.MALFORMED).counters()) {
      byReason.merge(c.getId().getTag("reason"), c.count(), Double::sum);
    }
    return byReason;
  }

  private static Map<String, Double> difference(Map<String, Double> now, Map<String, Double> before) {
    Map<String, Double> grown = new TreeMap<>();
    now.forEach((reason, count) -> grown.put(reason, count - before.getOrDefault(reason, 0.0)));
    return grown;
  }

  private static boolean isMalformed(byte[] packet) {
    return !(DnsQueryDecoder.decode(packet) instanceof DecodedPacket.Query);
  }

  /** Holds the sender to PACKETS_PER_SECOND, checking every thousand packets. */
  private static void pace(long startedNanos, int sent) throws InterruptedException {
    if (sent % 1000 != 999) {
      return;
    }
    long due = startedNanos + (sent + 1) * 1_000_000_000L / PACKETS_PER_SECOND;
    long ahead = due - System.nanoTime();
    if (ahead > 0) {
      TimeUnit.NANOSECONDS.sleep(ahead);
    }
  }

  private static void assertAnswersCorrectly(LabRole role, InetSocketAddress target, boolean tcp) throws IOException {
    SimpleResolver resolver = new SimpleResolver(target);
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(5));
    String transport = tcp ? "tcp" : "udp";
    switch (role) {
      case ROOT -> { // RFC 1034 4.3.2: a referral to com with glue
        Message response = resolver.send(query("www.google.com.", false));
        assertThat(response.getRcode()).as(role + " " + transport).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.AUTHORITY))
            .as(role + " " + transport)
            .anyMatch(r -> r.getType() == Type.NS && r.getName().toString().equals("com."));
      }
      case TLD -> {
        Message response = resolver.send(query("www.google.com.", false));
        assertThat(response.getRcode()).as(role + " " + transport).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.AUTHORITY))
            .as(role + " " + transport)
            .anyMatch(r -> r.getType() == Type.NS && r.getName().toString().equals("google.com."));
      }
      default -> { // the authoritative answer, and the same through the recursor and the router
        Message response = resolver.send(query("www.google.com.", role != LabRole.AUTHORITATIVE));
        assertThat(response.getRcode()).as(role + " " + transport).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER))
            .as(role + " " + transport)
            .anyMatch(r -> r.getType() == Type.A && r.rdataToString().equals("127.53.0.80"));
      }
    }
  }

  private static Message query(String name, boolean recursionDesired) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    if (!recursionDesired) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    return query;
  }

  private static InetSocketAddress address(LabRole role) {
    return switch (role) {
      case RECURSOR -> lab.recursor().dnsAddress();
      case ROUTER -> lab.router().dnsAddress();
      default -> lab.address(role);
    };
  }

  private static MeterRegistry registry(LabRole role) {
    return switch (role) {
      case RECURSOR -> lab.recursor().registry();
      case ROUTER -> lab.router().registry();
      default -> lab.authority(role).registry();
    };
  }

  private static double malformed(MeterRegistry registry) {
    return registry.find(DnsMetrics.MALFORMED).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Datagrams the kernel dropped for a full receive buffer, on every UDP socket of the host. */
  private static long udpReceiveBufferErrors() {
    try {
      List<String> snmp = Files.readAllLines(Path.of("/proc/net/snmp"));
      for (int i = 0; i + 1 < snmp.size(); i++) {
        if (snmp.get(i).startsWith("Udp: ") && snmp.get(i + 1).startsWith("Udp: ")) {
          List<String> names = List.of(snmp.get(i).split("\\s+"));
          String[] values = snmp.get(i + 1).split("\\s+");
          return Long.parseLong(values[names.indexOf("RcvbufErrors")]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no way to know, so no allowance for drops
    }
    return 0;
  }
}
