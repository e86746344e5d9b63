package dev.dnslab.cli.visit;

import dev.dnslab.cli.visit.VisitReport.Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the TCP state (RFC 9293 3.3.2) each side is in after sending a captured segment: SYN_SENT,
 * SYN_RECEIVED, ESTABLISHED for the three-way handshake; FIN_WAIT_1, CLOSE_WAIT, LAST_ACK,
 * TIME_WAIT for the close.
 */
final class TcpStates {
  private TcpStates() {}

  /** The segments with their states filled in. */
  static List<Packet> label(List<Packet> packets) {
    List<Packet> labelled = new ArrayList<>();
    String firstFin = null;
    boolean secondFin = false;
    for (Packet p : packets) {
      String state;
      if (p.flags().equals("SYN")) {
        state = "SYN_SENT";
      } else if (p.flags().equals("SYN-ACK")) {
        state = "SYN_RECEIVED";
      } else if (p.flags().startsWith("FIN") && firstFin == null) {
        firstFin = p.from();
        state = "FIN_WAIT_1";
      } else if (p.flags().startsWith("FIN") && !p.from().equals(firstFin)) {
        secondFin = true;
        state = "LAST_ACK";
      } else if (firstFin != null && p.flags().equals("ACK")) {
        state = p.from().equals(firstFin) ? (secondFin ? "TIME_WAIT" : "FIN_WAIT_2") : "CLOSE_WAIT";
      } else if (p.flags().equals("RST")) {
        state = "CLOSED";
      } else {
        state = "ESTABLISHED";
      }
      labelled.add(new Packet(p.from(), p.flags(), p.seq(), p.ack(), p.relativeSeq(), p.relativeAck(), state, p.millis()));
    }
    return labelled;
  }

  /** SYN, SYN-ACK and the client's first ACK. */
  static List<Packet> handshake(List<Packet> labelled) {
    List<Packet> handshake = new ArrayList<>();
    for (Packet p : labelled) {
      if (p.flags().equals("SYN") || p.flags().equals("SYN-ACK")) {
        handshake.add(p);
      } else if (handshake.size() == 2 && p.from().equals("client") && p.flags().equals("ACK")) {
        handshake.add(p);
        break;
      }
    }
    return handshake;
  }

  /** From the first FIN (or RST) on. */
  static List<Packet> closing(List<Packet> labelled) {
    List<Packet> closing = new ArrayList<>();
    for (Packet p : labelled) {
      if (!closing.isEmpty() || p.flags().startsWith("FIN") || p.flags().equals("RST")) {
        closing.add(p);
      }
    }
    return closing;
  }

  /** Both sides sent a FIN and the last one was acknowledged, or the connection was reset. */
  static boolean closed(List<Packet> packets) {
    List<Packet> closing = closing(label(packets));
    long fins = closing.stream().filter(p -> p.flags().startsWith("FIN")).map(Packet::from).distinct().count();
    boolean reset = closing.stream().anyMatch(p -> p.flags().equals("RST"));
    return reset || (fins == 2 && closing.get(closing.size() - 1).flags().equals("ACK"));
  }

  static boolean established(List<Packet> packets) {
    return handshake(label(packets)).size() == 3;
  }
}
