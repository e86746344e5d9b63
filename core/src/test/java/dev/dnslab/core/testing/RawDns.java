package dev.dnslab.core.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Raw UDP and TCP exchanges, for packets no well-behaved client library would send. */
public final class RawDns {
  private RawDns() {}

  public static byte[] query(String name, int type, int id) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setID(id);
    return query.toWire();
  }

  /** Sends one datagram and returns the reply, or null if none arrives within {@code timeoutMs}. */
  public static byte[] udpExchange(InetSocketAddress server, byte[] packet, int timeoutMs) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      socket.setSoTimeout(timeoutMs);
      socket.send(new DatagramPacket(packet, packet.length, server));
      byte[] buffer = new byte[65535];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(reply);
      } catch (SocketTimeoutException e) {
        return null;
      }
      byte[] bytes = new byte[reply.getLength()];
      System.arraycopy(buffer, 0, bytes, 0, bytes.length);
      return bytes;
    }
  }



  public static Socket tcp(InetSocketAddress server, int timeoutMs) throws IOException {
    Socket socket = new Socket();
    socket.connect(server, timeoutMs);
    socket.setSoTimeout(timeoutMs);
    return socket;
  }
}
