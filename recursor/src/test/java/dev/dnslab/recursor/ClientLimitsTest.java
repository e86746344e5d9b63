package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.recursor.iterator.ResolutionLimits;
import dev.dnslab.recursor.limit.ClientLimits;
import dev.dnslab.recursor.limit.Limit;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The per-client limits with real UDP clients on loopback addresses of different /24s: one network
 * over its query rate or its outstanding resolutions is held back, counted and logged, while another
 * network is served as usual.
 */
class ClientLimitsTest {
  private static final int RATE = 20;
  private static final int MAX_OUTSTANDING = 2;
  /** Short, so the silent zone's resolutions stay outstanding about a second, then SERVFAIL. */
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofMillis(300);

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.SCENARIO_ZONES)
      .configure(config -> config
          .limits(ResolutionLimits.DEFAULT.withUpstreamTimeout(UPSTREAM_TIMEOUT))
          // nothing exempt: the test's clients are on loopback
          .clientLimits(new ClientLimits(RATE, RATE, MAX_OUTSTANDING, 24, 56, List.of())));

  @Test
  void dropsQueriesOverTheRateOfOneNetworkAndServesAnother() throws Exception {
    double limitedBefore = recursor.server().metrics().limits().count(Limit.CLIENT_RATE);
    try (DatagramSocket flooder = client("127.0.0.1"); DatagramSocket neighbour = client("127.0.1.1")) {
      // given the answer cached (so the outstanding limit plays no part), and one client sending
      // five times its bucket at once
      Dig.query(recursor.server().dnsAddress(), "ns.big.test.", Type.A, false,
          new InetSocketAddress(InetAddress.getByName("127.0.5.1"), 0));
      long started = System.nanoTime();
      for (int id = 0; id < 5 * RATE; id++) {
        send(flooder, query(id, "ns.big.test."));
      }
      List<Message> answers = receiveUntilQuiet(flooder);
      double seconds = (System.nanoTime() - started) / 1e9;

      // then it got its burst and what the rate refilled meanwhile, the rest was dropped and counted
      System.out.printf("ClientLimitsTest: %d of %d queries answered in %.2f s at %d/s, burst %d%n",
          answers.size(), 5 * RATE, seconds, RATE, RATE);
      assertThat(answers).allSatisfy(answer -> assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR));
      assertThat(answers.size()).isBetween(RATE, RATE + (int) Math.ceil(RATE * seconds));
      assertThat(recursor.server().metrics().limits().count(Limit.CLIENT_RATE) - limitedBefore)
          .isEqualTo(5 * RATE - answers.size());

      // and a client of another /24 is answered meanwhile
      send(neighbour, query(1, "ns.big.test."));
      assertThat(receiveUntilQuiet(neighbour)).singleElement()
          .satisfies(answer -> assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR));
    }
  }

  @Test
  void answersServfailAtOnceOverTheOutstandingResolutionsOfOneNetwork() throws Exception {
    double limitedBefore = recursor.server().metrics().limits().count(Limit.CLIENT_OUTSTANDING);
    try (DatagramSocket client = client("127.0.3.1"); DatagramSocket neighbour = client("127.0.4.1")) {
      // given a client with five questions about a zone whose server never answers
      for (int id = 0; id < 5; id++) {
        send(client, query(id, "q" + id + ".silent.test."));
      }
      // when it waits a moment, far less than the resolutions take
      List<Message> early = receiveUntilQuiet(client);

      // then the three over the limit were answered SERVFAIL at once, without upstream work
      assertThat(early).hasSize(5 - MAX_OUTSTANDING)
          .allSatisfy(answer -> assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL));
      assertThat(recursor.server().metrics().limits().count(Limit.CLIENT_OUTSTANDING) - limitedBefore)
          .isEqualTo(5 - MAX_OUTSTANDING);

      // and another network's resolution is not held back by them
      send(neighbour, query(9, "ns.big.test."));
      assertThat(receiveUntilQuiet(neighbour)).singleElement()
          .satisfies(answer -> assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR));
    }
  }

  private static DatagramSocket client(String address) throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
    socket.setSoTimeout(300);
    return socket;
  }

  private static byte[] query(int id, String name) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    query.getHeader().setID(id);
    query.getHeader().setFlag(Flags.RD);
    return query.toWire();
  }

  private static void send(DatagramSocket socket, byte[] wire) throws IOException {
    socket.send(new DatagramPacket(wire, wire.length, recursor.server().dnsAddress()));
  }

  /** Every answer that arrives until none has for the socket's timeout (300 ms). */
  private static List<Message> receiveUntilQuiet(DatagramSocket socket) throws IOException {
    List<Message> answers = new ArrayList<>();
    byte[] buffer = new byte[65535];
    while (true) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException quiet) {
        return answers;
      }
      answers.add(new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength())));
    }
  }
}
