package dev.dnslab.recursor.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cookie.CookieOptions;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.server.Transport;
import dev.dnslab.recursor.RecursorMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The recursor's cookie checks against a server played by the test on a real UDP socket, for the
 * replies a healthy authority never sends: another client's cookie, and BADCOOKIE.
 */
class UpstreamCookiesTest {
  private static final Name WWW = Name.fromConstantString("www.google.com.");
  private static final byte[] SERVER_COOKIE = {1, 0, 0, 0, 0x5c, (byte) 0xf7, (byte) 0x9f, 0x11,
      1, 2, 3, 4, 5, 6, 7, 8};

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final UpstreamCookies cookies = new UpstreamCookies(registry);

  @Test
  void dropsAReplyWithAnotherClientsCookieAndTakesTheRealOne() throws Exception {
    try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        UpstreamClient client = client()) {
      server.setSoTimeout(3000);
      CompletableFuture<UpstreamReply> reply = client.send(query(), address(server), Transport.UDP, Duration.ofSeconds(3));
      DatagramPacket asked = receive(server);
      Message question = new Message(Arrays.copyOf(asked.getData(), asked.getLength()));
      byte[] ours = CookieOptions.of(question).getClientCookie();

      send(server, asked, answer(question, "192.0.2.66", new CookieOption(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, SERVER_COOKIE)));
      send(server, asked, answer(question, "127.53.0.80", new CookieOption(ours, SERVER_COOKIE)));

      assertThat(reply.get().message().getSection(Section.ANSWER))
          .singleElement().satisfies(a -> assertThat(a.rdataToString()).isEqualTo("127.53.0.80"));
      assertThat(count("mismatched")).isEqualTo(1);
      assertThat(count("learned")).isEqualTo(1);
    }
  }

  @Test
  void retriesOnceWithTheServerCookieABadcookieReplyGave() throws Exception {
    try (DatagramSocket server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        UpstreamClient client = client()) {
      server.setSoTimeout(3000);
      CompletableFuture<UpstreamReply> reply = client.send(query(), address(server), Transport.UDP, Duration.ofSeconds(3));
      DatagramPacket first = receive(server);
      Message firstQuestion = new Message(Arrays.copyOf(first.getData(), first.getLength()));
      byte[] ours = CookieOptions.of(firstQuestion).getClientCookie();
      send(server, first, badCookie(firstQuestion, new CookieOption(ours, SERVER_COOKIE)));

      DatagramPacket second = receive(server);
      Message secondQuestion = new Message(Arrays.copyOf(second.getData(), second.getLength()));
      send(server, second, answer(secondQuestion, "127.53.0.80", new CookieOption(ours, SERVER_COOKIE)));

      assertThat(CookieOptions.of(firstQuestion).getServerCookie()).isEmpty();
      assertThat(CookieOptions.of(secondQuestion).getServerCookie()).hasValueSatisfying(
          cookie -> assertThat(cookie).isEqualTo(SERVER_COOKIE));
      assertThat(reply.get().message().getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(count("badcookie-retried")).isEqualTo(1);
    }
  }

  @Test
  void keepsTheLastServerCookieOfAnAcceptedReplyAndCountsOnlyAChangeAsLearned() throws Exception {
    java.net.InetAddress server = java.net.InetAddress.getByName("127.53.0.11");
    byte[] fresh = {8, 7, 6, 5, 4, 3, 2, 1};
    byte[] ours = cookies.clientCookie(server);

    assertThat(cookies.accepts(reply(query(), Rcode.NOERROR, new CookieOption(ours, SERVER_COOKIE)), server)).isTrue();
    assertThat(cookies.accepts(reply(query(), Rcode.NOERROR, new CookieOption(ours, SERVER_COOKIE)), server)).isTrue();
    assertThat(count("learned")).isEqualTo(1);
    assertThat(cookies.accepts(reply(query(), Rcode.NOERROR, new CookieOption(ours, fresh)), server)).isTrue();
    assertThat(count("learned")).isEqualTo(2);
    assertThat(cookies.accepts(reply(query(), Rcode.NOERROR,
        new CookieOption(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, SERVER_COOKIE)), server)).isFalse();

    CookieOption sent = CookieOptions.of(new Message(cookies.wireWithCookie(query(), server)));
    assertThat(sent.getClientCookie()).isEqualTo(ours);
    assertThat(sent.getServerCookie()).as("the spoofed reply's server cookie is not taken")
        .hasValueSatisfying(cookie -> assertThat(cookie).isEqualTo(fresh));
    assertThat(count("echoed")).isEqualTo(3);
    assertThat(count("mismatched")).isEqualTo(1);
  }

  @Test
  void sendsTheCookieOfTheServersLatestReplyInQueriesAskedAgainAndAgain() throws Exception {
    java.net.InetAddress server = java.net.InetAddress.getByName("127.53.0.11");
    byte[] fresh = {8, 7, 6, 5, 4, 3, 2, 1};
    byte[] ours = cookies.clientCookie(server);

    for (int i = 0; i < 2; i++) {
      assertThat(cookies.wireWithCookie(query(), server)).isEqualTo(cookies.withCookie(query(), server).toWire());
    }
    assertThat(cookies.accepts(reply(query(), Rcode.NOERROR, new CookieOption(ours, SERVER_COOKIE)), server)).isTrue();
    for (int i = 0; i < 2; i++) {
      assertThat(CookieOptions.of(new Message(cookies.wireWithCookie(query(), server))).getServerCookie())
          .hasValueSatisfying(cookie -> assertThat(cookie).isEqualTo(SERVER_COOKIE));
    }
    assertThat(cookies.accepts(reply(query(), Rcode.NOERROR, new CookieOption(ours, fresh)), server)).isTrue();

    byte[] sent = cookies.wireWithCookie(query(), server);
    assertThat(CookieOptions.of(new Message(sent)).getServerCookie())
        .hasValueSatisfying(cookie -> assertThat(cookie).isEqualTo(fresh));
    assertThat(sent).isEqualTo(cookies.withCookie(query(), server).toWire());
  }

  @Test
  void givesEachServerItsOwnClientCookie() throws Exception {
    byte[] one = cookies.clientCookie(java.net.InetAddress.getByName("127.53.0.11"));
    byte[] again = cookies.clientCookie(java.net.InetAddress.getByName("127.53.0.11"));
    byte[] other = cookies.clientCookie(java.net.InetAddress.getByName("127.53.0.12"));

    assertThat(one).hasSize(8).isEqualTo(again).isNotEqualTo(other);
  }

  @Test
  void sendsTheBytesOfTheQueryCopyWithItsCookieBeforeAndAfterLearningTheServerCookie() throws Exception {
    java.net.InetAddress server = java.net.InetAddress.getByName("127.53.0.11");
    Message validating = query();
    validating.removeRecord(validating.getOPT(), Section.ADDITIONAL);
    validating.addRecord(new OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
    Message withNsid = query();
    withNsid.removeRecord(withNsid.getOPT(), Section.ADDITIONAL);
    withNsid.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new org.xbill.DNS.GenericEDNSOption(org.xbill.DNS.EDNSOption.Code.NSID, new byte[0]))), Section.ADDITIONAL);
    Message withoutEdns = query();
    withoutEdns.removeRecord(withoutEdns.getOPT(), Section.ADDITIONAL);
    List<Message> queries = List.of(query(), validating, withNsid, withoutEdns);

    for (Message query : queries) {
      assertThat(cookies.wireWithCookie(query, server)).isEqualTo(cookies.withCookie(query, server).toWire());
    }
    assertThat(cookies.accepts(reply(query(), Rcode.NOERROR, new CookieOption(cookies.clientCookie(server), SERVER_COOKIE)),
        server)).isTrue();
    for (Message query : queries) {
      assertThat(cookies.wireWithCookie(query, server)).isEqualTo(cookies.withCookie(query, server).toWire());
    }
    CookieOption sent = CookieOptions.of(new Message(cookies.wireWithCookie(query(), server)));
    assertThat(sent.getClientCookie()).isEqualTo(cookies.clientCookie(server));
    assertThat(sent.getServerCookie()).hasValueSatisfying(cookie -> assertThat(cookie).isEqualTo(SERVER_COOKIE));
    assertThat(query().getOPT().getOptions()).isEmpty();
  }

  @Test
  void sendsTheQuestionInTheSpellingGivenForItAsTheCopyOfAQuerySpelledSoWouldBe() throws Exception {
    java.net.InetAddress server = java.net.InetAddress.getByName("127.53.0.11");
    Name spelled = Name.fromConstantString("wWw.GoOGle.coM.");
    Message flagged = query();
    flagged.getHeader().setFlag(Flags.CD);
    flagged.getHeader().setFlag(Flags.AD);
    flagged.getHeader().setOpcode(org.xbill.DNS.Opcode.NOTIFY);

    for (Message query : List.of(query(), flagged)) {
      Message asSpelled = query.clone();
      asSpelled.removeRecord(asSpelled.getQuestion(), Section.QUESTION);
      asSpelled.addRecord(Record.newRecord(spelled, Type.A, DClass.IN), Section.QUESTION);

      assertThat(cookies.wireWithCookie(query, spelled.toWire(), server))
          .isEqualTo(cookies.withCookie(asSpelled, server).toWire());
      assertThat(cookies.wireWithCookie(query, null, server)).isEqualTo(cookies.withCookie(query, server).toWire());
    }
  }

  private UpstreamClient client() {
    return new UpstreamClient(new UpstreamPolicy(Cidr.LOOPBACK, new RecursorMetrics(new SimpleMeterRegistry())), 1, cookies);
  }

  private double count(String event) {
    Counter counter = registry.find(UpstreamCookies.COOKIES).tag("event", event).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Message query() {
    Message query = new Message(4242);
    query.getHeader().unsetFlag(Flags.RD);
    query.addRecord(Record.newRecord(WWW, Type.A, DClass.IN), Section.QUESTION);
    query.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    return query;
  }

  private static Message answer(Message question, String address, CookieOption cookie) throws Exception {
    Message answer = reply(question, Rcode.NOERROR, cookie);
    answer.getHeader().setFlag(Flags.AA);
    answer.addRecord(new ARecord(WWW, DClass.IN, 300, java.net.InetAddress.getByName(address)), Section.ANSWER);
    return answer;
  }

  private static Message badCookie(Message question, CookieOption cookie) {
    return reply(question, Rcode.BADCOOKIE, cookie);
  }

  private static Message reply(Message question, int rcode, CookieOption cookie) {
    Message reply = new Message(question.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setRcode(rcode & 0xF);
    reply.addRecord(question.getQuestion(), Section.QUESTION);
    reply.addRecord(new OPTRecord(1232, rcode >>> 4, 0, 0, List.of(cookie)), Section.ADDITIONAL);
    return reply;
  }

  private static InetSocketAddress address(DatagramSocket socket) {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private static DatagramPacket receive(DatagramSocket server) throws Exception {
    DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
    server.receive(packet);
    return packet;
  }

  private static void send(DatagramSocket server, DatagramPacket to, Message reply) throws Exception {
    byte[] wire = reply.toWire();
    server.send(new DatagramPacket(wire, wire.length, to.getSocketAddress()));
  }
}
