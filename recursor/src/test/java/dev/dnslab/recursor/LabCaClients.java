package dev.dnslab.recursor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.xbill.DNS.Message;

/** TLS clients for tests that trust only the lab CA, as a learner's kdig or browser would. */
final class LabCaClients {
  private LabCaClients() {}


  /** One DNS over TLS exchange on a new connection (RFC 7858: TCP's 2-byte framing inside TLS). */
  static Message dotQuery(SSLContext tls, InetSocketAddress dot, Message query) throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(dot.getAddress(), dot.getPort())) {
      socket.setSoTimeout(5000);
      byte[] wire = query.toWire();
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(wire.length);
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] reply = new byte[in.readUnsignedShort()];
      in.readFully(reply);
      return new Message(reply);
    }
  }
}
