package dev.dnslab.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.transport.NettyTransport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** One question over UDP: the reply with the query's ID counts, nothing else does. */
class UdpQuestionTest {
  private final EventLoops loops = EventLoops.start(NettyTransport.best(), 1);

  @AfterEach
  void stop() {
    loops.close();
  }

  @Test
  void skipsAReplyWithAnotherIdAndTakesTheMatchingOne() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Message query = Message.newQuery(Record.newRecord(Name.root, Type.SOA, DClass.IN));
      var reply = UdpQuestion.ask(loops, (InetSocketAddress) server.getLocalSocketAddress(), query, Duration.ofSeconds(5));

      DatagramPacket asked = new DatagramPacket(new byte[512], 512);
      server.receive(asked);
      Message received = new Message(asked.getData());
      Message stray = answer(received, (received.getHeader().getID() + 1) & 0xffff, Rcode.REFUSED);
      Message matching = answer(received, received.getHeader().getID(), Rcode.NOERROR);
      for (Message m : new Message[] {stray, matching}) {
        byte[] wire = m.toWire();
        server.send(new DatagramPacket(wire, wire.length, asked.getSocketAddress()));
      }

      assertThat(reply.get(5, TimeUnit.SECONDS).getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }

  @Test
  void failsWhenNoReplyComesInTime() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Message query = Message.newQuery(Record.newRecord(Name.root, Type.SOA, DClass.IN));
      var reply = UdpQuestion.ask(loops, (InetSocketAddress) silent.getLocalSocketAddress(), query, Duration.ofMillis(200));

      assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("no reply within 200 ms");
    }
  }

  private static Message answer(Message query, int id, int rcode) {
    Message answer = new Message(id);
    answer.getHeader().setFlag(Flags.QR);
    answer.getHeader().setRcode(rcode);
    answer.addRecord(query.getQuestion(), org.xbill.DNS.Section.QUESTION);
    return answer;
  }
}
