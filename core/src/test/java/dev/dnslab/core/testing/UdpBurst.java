package dev.dnslab.core.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * A burst of UDP queries from one local address, sent back to back from one socket like a flood
 * (or a reflection attack) would, and the replies that came back.
 */
public final class UdpBurst {
  private UdpBurst() {}

  /** What came back: full answers and truncated (slipped) stand-ins. */
  public record Replies(List<Message> answers, List<Message> truncated) {
    public int total() {
      return answers.size() + truncated.size();
    }
  }

  /**
   * Sends {@code queries} from {@code from} to {@code server} and collects replies until {@code
   * done} holds for them (asked after each reply and each quiet 100 ms) or 5 s have passed.
   */
  public static Replies send(String from, InetSocketAddress server, List<Message> queries, Predicate<Replies> done)
      throws IOException {
    List<Message> answers = new ArrayList<>();
    List<Message> truncated = new ArrayList<>();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
      socket.setSoTimeout(100);
      // Replies arrive while the burst is still being sent: room for a few hundred of them.
      socket.setReceiveBufferSize(1 << 20);
      for (Message query : queries) {
        byte[] wire = query.toWire();
        socket.send(new DatagramPacket(wire, wire.length, server));
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      byte[] buffer = new byte[65535];
      while (System.nanoTime() < deadline) {
        if (done.test(new Replies(List.copyOf(answers), List.copyOf(truncated)))) {
          break;
        }
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (SocketTimeoutException quiet) {
          continue;
        }
        Message reply = new Message(Arrays.copyOf(buffer, packet.getLength()));
        (reply.getHeader().getFlag(Flags.TC) ? truncated : answers).add(reply);
      }
    }
    return new Replies(answers, truncated);
  }
}
