package dev.dnslab.core.server;

import static dev.dnslab.core.testing.AuthorityFixture.labZones;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.testing.HostilePackets;
import dev.dnslab.core.testing.RawDns;
import dev.dnslab.testing.DnsStreamFrame;
import io.micrometer.core.instrument.Counter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Hostile input: the server answers FORMERR or drops, counts it, and keeps answering. */
class MalformedPacketTest {
  private static AuthorityFixture server;

  @BeforeAll
  static void start() throws Exception {
    server = AuthorityFixture.start("authoritative-ns", List.of(labZones("authoritative")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static double malformed(String reason) {
    Counter counter =
        server.server().registry().find("dns.malformed").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void dropsPacketShorterThanAHeaderAndCountsIt() throws Exception {
    double before = malformed("short-header");
    assertThat(RawDns.udpExchange(server.address(), new byte[] {1, 2, 3}, 300)).isNull();
    dev.dnslab.core.testing.Poll.until(java.time.Duration.ofSeconds(2), () -> malformed("short-header") > before, "counted");
  }

  @Test
  void dropsAnEmptyDatagramAndCountsIt() throws Exception {
    double before = malformed("short-header");
    assertThat(RawDns.udpExchange(server.address(), new byte[0], 300)).isNull();
    dev.dnslab.core.testing.Poll.until(java.time.Duration.ofSeconds(2), () -> malformed("short-header") > before, "counted");
  }

  @Test
  void answersFormerrWhenHeaderIsReadableButBodyIsNot() throws Exception {
    byte[] query = RawDns.query("www.google.com.", Type.A, 4242);
    byte[] broken = java.util.Arrays.copyOf(query, 20); // the question is cut off mid-name
    double before = malformed("unparseable");
    Message response = new Message(RawDns.udpExchange(server.address(), broken, 2000));
    assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(response.getHeader().getID()).isEqualTo(4242);
    assertThat(malformed("unparseable")).isGreaterThan(before);
  }

  @Test
  void answersFormerrForTwoQuestions() throws Exception {
    byte[] query = RawDns.query("www.google.com.", Type.A, 99);
    query[5] = 2; // QDCOUNT = 2, but only one question follows
    Message response = new Message(RawDns.udpExchange(server.address(), query, 2000));
    assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void answersFormerrForTruncatedQueryWithTcSet() throws Exception {
    byte[] query = RawDns.query("www.google.com.", Type.A, 31);
    query[2] |= 0x02; // TC: dnsjava would otherwise accept the cut-off question as "no question"
    Message response = new Message(RawDns.udpExchange(server.address(), java.util.Arrays.copyOf(query, 16), 2000));
    assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void dropsResponsesSentToTheServer() throws Exception {
    byte[] query = RawDns.query("www.google.com.", Type.A, 99);
    query[2] |= (byte) 0x80; // QR: a response; answering it could start a packet loop
    assertThat(RawDns.udpExchange(server.address(), query, 300)).isNull();
  }

  @Test
  void survivesRandomAndMutatedPacketsThenAnswersCorrectly() throws Exception {
    Random random = new Random(20261125L); // fixed seed: a failure can be replayed
    HostilePackets hostile = new HostilePackets(20261125L);
    double before = malformed("unparseable") + malformed("short-header") + malformed("not-a-query");
    try (java.net.DatagramSocket socket = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0))) {
      for (int i = 0; i < 3000; i++) {
        byte[] packet = hostile.next();
        socket.send(new java.net.DatagramPacket(packet, packet.length, server.address()));
      }
    }
    // Garbage over TCP too: a frame of random bytes, then a frame that claims more than it sends.
    try (Socket tcp = RawDns.tcp(server.address(), 2000)) {
      DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
      byte[] garbage = new byte[300];
      random.nextBytes(garbage);
      DnsStreamFrame.write(out, garbage);
      out.writeShort(5000);
      out.write(new byte[10]);
      out.flush();
    }
    // A flood may overrun the socket buffer (UDP may drop, and that is allowed); the server must
    // still be there and answer correctly, so ask until a deadline.
    Message[] response = new Message[1];
    dev.dnslab.core.testing.Poll.until(java.time.Duration.ofSeconds(15), () -> {
      try {
        response[0] = server.query("www.google.com.");
        return true;
      } catch (java.io.IOException timedOut) {
        return false;
      }
    }, "an answer after the flood");
    assertThat(response[0].getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response[0].getSectionArray(org.xbill.DNS.Section.ANSWER)).hasSize(1);
    assertThat(malformed("unparseable") + malformed("short-header") + malformed("not-a-query")).isGreaterThan(before);
  }

  @Test
  void countsATcpFrameCutShortByTheClient() throws Exception {
    double before = malformed("truncated-frame");
    try (Socket tcp = RawDns.tcp(server.address(), 2000)) {
      DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
      out.writeShort(100); // announces 100 bytes, sends 10, then closes
      out.write(new byte[10]);
      out.flush();
    }
    dev.dnslab.core.testing.Poll.until(
        java.time.Duration.ofSeconds(5), () -> malformed("truncated-frame") > before, "a truncated frame counted");
  }

  @Test
  void answersOverTcpAfterGarbageFrameOnSameConnection() throws Exception {
    try (Socket tcp = RawDns.tcp(server.address(), 3000)) {
      DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
      DataInputStream in = new DataInputStream(tcp.getInputStream());
      byte[] garbage = RawDns.query("www.google.com.", Type.A, 77);
      garbage = java.util.Arrays.copyOf(garbage, 14);
      DnsStreamFrame.write(out, garbage);
      DnsStreamFrame.write(out, RawDns.query("www.google.com.", Type.A, 78));
      out.flush();
      Message first = new Message(DnsStreamFrame.read(in));
      Message second = new Message(DnsStreamFrame.read(in));
      assertThat(first.getRcode()).isEqualTo(Rcode.FORMERR);
      assertThat(second.getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }
}
