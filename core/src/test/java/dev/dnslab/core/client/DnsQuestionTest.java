package dev.dnslab.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.server.Transport;
import dev.dnslab.core.testing.OneHandlerServer;
import dev.dnslab.core.transport.EventLoops;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One question to one server over real sockets: the reply that answers it counts, a truncated one
 * is asked again over TCP, and no answer in time fails it.
 */
class DnsQuestionTest {
  private static final Name BIG = Name.fromConstantString("big.example.");
  /** 40 A records: about 660 bytes, past the 512 of a UDP reply to a query without EDNS (RFC 1035 4.2.1). */
  private static final int BIG_ANSWER_RECORDS = 40;

  @AutoClose private final OneHandlerServer server = new OneHandlerServer();
  private final EventLoops loops = server.askingLoops();
  private final List<Transport> asked = new CopyOnWriteArrayList<>();

  @Test
  void asksAgainOverTcpWhenTheUdpReplyIsTruncated() throws Exception {
    InetSocketAddress address = server.start((request, next) -> {
      asked.add(request.transport());
      return CompletableFuture.completedFuture(bigAnswer(request.query()));
    });

    Message reply = DnsQuestion.ask(loops, address, query(BIG), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);

    assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(reply.getSection(Section.ANSWER)).hasSize(BIG_ANSWER_RECORDS);
    assertThat(asked).containsExactly(Transport.UDP, Transport.TCP);
  }

  @Test
  void failsWhenTheTcpReplyAnswersAnotherQuestion() throws Exception {
    InetSocketAddress address = server.start((request, next) -> CompletableFuture.completedFuture(request.transport() == Transport.UDP
        ? bigAnswer(request.query())
        : answerTo(query(Name.fromConstantString("other.example.")), request.query().getHeader().getID())));

    var reply = DnsQuestion.ask(loops, address, query(BIG), Duration.ofSeconds(5));

    assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("does not answer the question");
  }

  @Test
  void completesOnTheCallingEventLoop() throws Exception {
    InetSocketAddress address = server.start((request, next) -> CompletableFuture.completedFuture(request.newResponse(Rcode.NOERROR)));
    var loop = loops.group().next();

    Thread completedOn = loop.submit(() -> DnsQuestion.ask(loops, address, query(BIG), Duration.ofSeconds(5))
        .thenApply(reply -> Thread.currentThread())).get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);

    assertThat(completedOn).isSameAs(loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS));
  }

  @Test
  void skipsAReplyWithAnotherIdAndTakesTheMatchingOne() throws Exception {
    try (DatagramSocket stub = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      var reply = DnsQuestion.ask(loops, address(stub), query(Name.root), Duration.ofSeconds(5));

      Received received = receive(stub);
      received.send(stub, answerTo(received.query(), (received.id() + 1) & 0xffff));
      received.send(stub, answerTo(received.query(), received.id()));

      assertThat(reply.get(5, TimeUnit.SECONDS).getHeader().getID()).isEqualTo(received.id());
    }
  }

  @Test
  void skipsGarbageAndAReplyToAnotherQuestion() throws Exception {
    try (DatagramSocket stub = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      var reply = DnsQuestion.ask(loops, address(stub), query(Name.root), Duration.ofSeconds(5));

      Received received = receive(stub);
      stub.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, received.from()));
      received.send(stub, answerTo(query(Name.fromConstantString("other.example.")), received.id()));
      Message matching = answerTo(received.query(), received.id());
      matching.getHeader().setRcode(Rcode.NXDOMAIN);
      received.send(stub, matching);

      assertThat(reply.get(5, TimeUnit.SECONDS).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }
  }

  @Test
  void failsAtTheTimeoutWhenOnlyRepliesWithAnotherIdCome() throws Exception {
    try (DatagramSocket stub = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      var reply = DnsQuestion.ask(loops, address(stub), query(Name.root), Duration.ofMillis(300));

      Received received = receive(stub);
      received.send(stub, answerTo(received.query(), (received.id() + 1) & 0xffff));

      assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("no reply within 300 ms");
    }
  }

  @Test
  void failsWhenNoReplyComesInTime() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      var reply = DnsQuestion.ask(loops, address(silent), query(Name.root), Duration.ofMillis(200));

      assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("no reply within 200 ms");
    }
  }

  /** A query without EDNS, so a UDP reply holds 512 bytes (RFC 1035 4.2.1). */
  private static Message query(Name name) {
    return Message.newQuery(Record.newRecord(name, name.equals(Name.root) ? Type.SOA : Type.A, DClass.IN));
  }

  private static Message bigAnswer(Message query) throws RuntimeException {
    Message answer = answerTo(query, query.getHeader().getID());
    for (int i = 0; i < BIG_ANSWER_RECORDS; i++) {
      byte[] address = {(byte) 192, 0, 2, (byte) i};
      try {
        answer.addRecord(new ARecord(BIG, DClass.IN, 300, InetAddress.getByAddress(address)), Section.ANSWER);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    return answer;
  }

  private static Message answerTo(Message query, int id) {
    Message answer = new Message(id);
    answer.getHeader().setFlag(Flags.QR);
    answer.addRecord(query.getQuestion(), Section.QUESTION);
    return answer;
  }

  private static InetSocketAddress address(DatagramSocket socket) {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private static Received receive(DatagramSocket stub) throws Exception {
    DatagramPacket packet = new DatagramPacket(new byte[512], 512);
    stub.receive(packet);
    Message query = new Message(packet.getData());
    return new Received(query, query.getHeader().getID(), packet.getSocketAddress());
  }

  /** The question the stand-in server got, and where it came from. */
  private record Received(Message query, int id, java.net.SocketAddress from) {
    void send(DatagramSocket stub, Message message) throws Exception {
      byte[] wire = message.toWire();
      stub.send(new DatagramPacket(wire, wire.length, from));
    }
  }
}
