package dev.dnslab.core.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.AuthorityServer;
import dev.dnslab.core.testing.AuthorityFixture;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** DNS cookies (RFC 7873, RFC 9018) on a real authoritative server, asked by dig over real sockets. */
class ServerCookieTest {
  /** dig's line for the COOKIE option: client cookie and server cookie in hex, and its verdict. */
  private static final Pattern COOKIE_LINE = Pattern.compile("; COOKIE: ([0-9a-f]{16})([0-9a-f]{32}) \\((good|bad)\\)");

  private static AuthorityServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new AuthorityServer(AuthorityFixture.config("authoritative-ns",
        List.of(AuthorityFixture.labZones("authoritative")))).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void answersAClientCookieWithAServerCookie() throws Exception {
    String output = Dig.ask(server.dnsAddress(), "+norec", "+cookie", "www.google.com");

    Matcher cookie = COOKIE_LINE.matcher(output);
    assertThat(cookie.find()).as(output).isTrue();
    assertThat(cookie.group(3)).as("dig: the server echoed our client cookie").isEqualTo("good");
    assertThat(cookie.group(2)).as("RFC 9018 version 1, reserved zero").startsWith("01000000");
    assertThat(output).contains("status: NOERROR").contains("127.53.0.80");
  }

  @Test
  void acceptsItsServerCookieWhenTheClientComesBack() throws Exception {
    Matcher learned = COOKIE_LINE.matcher(Dig.ask(server.dnsAddress(), "+norec", "+cookie", "www.google.com"));
    assertThat(learned.find()).isTrue();
    double validBefore = count("valid");

    String output = Dig.ask(server.dnsAddress(), "+norec", "+cookie=" + learned.group(1) + learned.group(2), "www.google.com");

    assertThat(output).contains("status: NOERROR").contains("127.53.0.80");
    assertThat(count("valid")).isEqualTo(validBefore + 1);
  }

  @Test
  void answersBadcookieToAServerCookieItDidNotMake() throws Exception {
    String forged = "0102030405060708" + "01000000" + "00000000" + "0000000000000000";

    String output = Dig.ask(server.dnsAddress(), "+norec", "+nobadcookie", "+cookie=" + forged, "www.google.com");

    assertThat(output).contains("status: BADCOOKIE");
    Matcher fresh = COOKIE_LINE.matcher(output);
    assertThat(fresh.find()).as(output).isTrue();
    assertThat(fresh.group(1)).isEqualTo("0102030405060708");
    assertThat(fresh.group(2)).isNotEqualTo(forged.substring(16));
  }

  @Test
  void digRetriesWithTheFreshCookieAfterBadcookieAndGetsItsAnswer() throws Exception {
    String forged = "0102030405060708" + "01000000" + "00000000" + "0000000000000000";

    String output = Dig.ask(server.dnsAddress(), "+norec", "+cookie=" + forged, "www.google.com");

    assertThat(output).contains("BADCOOKIE, retrying").contains("status: NOERROR").contains("127.53.0.80");
  }

  @Test
  void answersABadServerCookieOverTcpAsUsual() throws Exception {
    String forged = "0102030405060708" + "01000000" + "00000000" + "0000000000000000";

    String output = Dig.ask(server.dnsAddress(), "+tcp", "+norec", "+nobadcookie", "+cookie=" + forged, "www.google.com");

    assertThat(output).contains("status: NOERROR").contains("127.53.0.80");
  }

  @Test
  void answersFormerrToAMalformedCookieOption() throws Exception {
    // RFC 7873 5.2.2: 9 to 15 bytes is neither a client cookie alone nor one with a server cookie.
    Message query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(10, new byte[12]))), Section.ADDITIONAL);

    Message reply = new Message(rawUdp(query.toWire()));

    assertThat(reply.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(reply.getHeader().getID()).isEqualTo(query.getHeader().getID());
  }

  @Test
  void answersQueriesWithoutCookiesWithoutOne() throws Exception {
    String output = Dig.ask(server.dnsAddress(), "+norec", "+nocookie", "www.google.com");

    assertThat(output).contains("status: NOERROR").doesNotContain("COOKIE");
  }

  private static double count(String result) {
    var counter = server.registry().find(ServerCookieHandler.COOKIES).tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private static byte[] rawUdp(byte[] packet) throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout(3000);
      socket.send(new DatagramPacket(packet, packet.length, server.dnsAddress()));
      byte[] buffer = new byte[65535];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      return Arrays.copyOf(buffer, reply.getLength());
    }
  }
}
