package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.UdpBurst;
import dev.dnslab.recursor.iterator.ResolutionLimits;
import dev.dnslab.recursor.limit.ClientLimits;
import dev.dnslab.recursor.limit.Limit;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
  /**
   * Longer than the tests run: the silent zone's resolutions stay outstanding until the recursor
   * stops, so every answer a client gets for them while a test runs is the limit's, however slowly
   * the machine runs the test.
   */
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofMinutes(1);
  /** Bounds each wait for an answer or a count; nothing is asserted against it. */
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @RegisterExtension
  static final RecursorExtension recursor = RecursorExtension.on(LabHierarchy.SCENARIO_ZONES)
      .configure(config -> config
          .limits(ResolutionLimits.DEFAULT.withResolutionTimeout(UPSTREAM_TIMEOUT).withUpstreamTimeout(UPSTREAM_TIMEOUT))
          // nothing exempt: the test's clients are on loopback
          .clientLimits(new ClientLimits(RATE, RATE, MAX_OUTSTANDING, 24, 56, List.of())));

  @Test
  void dropsQueriesOverTheRateOfOneNetworkAndServesAnother() throws Exception {
    double limitedBefore = limited(Limit.CLIENT_RATE);
    try (DatagramSocket neighbour = client("127.0.1.1")) {
      // given the answer cached (so the outstanding limit plays no part), and one client sending
      // five times its bucket at once
      Dig.query(recursor.server().dnsAddress(), "ns.big.test.", Type.A, false,
          new InetSocketAddress(InetAddress.getByName("127.0.5.1"), 0));
      List<Message> flood = new ArrayList<>();
      for (int id = 0; id < 5 * RATE; id++) {
        flood.add(query(id, "ns.big.test."));
      }
      long started = System.nanoTime();
      // Until every query is answered or counted as dropped: a late answer is still counted.
      List<Message> answers = UdpBurst.send("127.0.0.1", recursor.server().dnsAddress(), flood,
          replies -> replies.answers().size() + limited(Limit.CLIENT_RATE) - limitedBefore == 5 * RATE).answers();
      double seconds = (System.nanoTime() - started) / 1e9;

      // then it got its burst and what the rate refilled meanwhile, the rest was dropped and counted
      System.out.printf("ClientLimitsTest: %d of %d queries answered in %.2f s at %d/s, burst %d%n",
          answers.size(), 5 * RATE, seconds, RATE, RATE);
      assertThat(answers).allSatisfy(answer -> assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR));
      assertThat(answers.size()).isBetween(RATE, RATE + (int) Math.ceil(RATE * seconds));
      assertThat(limited(Limit.CLIENT_RATE) - limitedBefore).isEqualTo(5 * RATE - answers.size());

      // and a client of another /24 is answered meanwhile
      send(neighbour, query(1, "ns.big.test.").toWire());
      assertThat(receive(neighbour).getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }

  @Test
  void answersServfailAtOnceOverTheOutstandingResolutionsOfOneNetwork() throws Exception {
    double limitedBefore = limited(Limit.CLIENT_OUTSTANDING);
    int inflightBefore = recursor.server().resolver().inflightResolutions();
    try (DatagramSocket client = client("127.0.3.1"); DatagramSocket neighbour = client("127.0.4.1")) {
      // given a client with five questions about a zone whose server never answers
      for (int id = 0; id < 5; id++) {
        send(client, query(id, "q" + id + ".silent.test.").toWire());
      }
      // when it takes the answers that come while two resolutions are still outstanding
      List<Message> early = new ArrayList<>();
      for (int i = 0; i < 5 - MAX_OUTSTANDING; i++) {
        early.add(receive(client));
      }

      // then the three over the limit were answered SERVFAIL, without waiting for upstream work
      assertThat(early).allSatisfy(answer -> assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL));
      assertThat(early).extracting(answer -> answer.getHeader().getID()).doesNotHaveDuplicates();
      assertThat(limited(Limit.CLIENT_OUTSTANDING) - limitedBefore).isEqualTo(5 - MAX_OUTSTANDING);
      assertThat(recursor.server().resolver().inflightResolutions() - inflightBefore)
          .as("the two within the limit, still outstanding").isEqualTo(MAX_OUTSTANDING);

      // and another network's resolution is not held back by them
      send(neighbour, query(9, "ns.big.test.").toWire());
      assertThat(receive(neighbour).getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }

  private static DatagramSocket client(String address) throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
    socket.setSoTimeout((int) DEADLINE.toMillis());
    return socket;
  }

  private static Message query(int id, String name) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    query.getHeader().setID(id);
    query.getHeader().setFlag(Flags.RD);
    return query;
  }

  private static void send(DatagramSocket socket, byte[] wire) throws IOException {
    socket.send(new DatagramPacket(wire, wire.length, recursor.server().dnsAddress()));
  }

  /** The next answer to arrive on {@code socket}; a read timeout (the deadline) fails the test. */
  private static Message receive(DatagramSocket socket) throws IOException {
    byte[] buffer = new byte[65535];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    socket.receive(packet);
    return new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
  }

  private static double limited(Limit limit) {
    return recursor.server().metrics().limits().count(limit);
  }
}
