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
      // A deadline, not a wait: a server whose TLS context waits for its first connection builds
      // it during this handshake, and a test JVM starved of CPU (nice 19 beside a bench) once took
      // over 5 s there.
      socket.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DnsStreamFrame.write(out, query.toWire());
      out.flush();
      return new Message(DnsStreamFrame.read(new DataInputStream(socket.getInputStream())));
    }
  }
}
