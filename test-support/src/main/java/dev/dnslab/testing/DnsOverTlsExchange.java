package dev.dnslab.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.xbill.DNS.Message;

/** One DNS over TLS exchange on a new connection (RFC 7858 3.3: TCP's 2-byte framing inside TLS). */
public final class DnsOverTlsExchange {
  private DnsOverTlsExchange() {}

  /** Sends {@code query} to {@code dot} over a connection {@code tls} makes, and returns the reply. */
  public static Message exchange(SSLContext tls, InetSocketAddress dot, Message query) throws IOException {
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
