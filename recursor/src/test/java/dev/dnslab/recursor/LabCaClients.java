package dev.dnslab.recursor;

import dev.dnslab.testing.DnsOverTlsExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import org.xbill.DNS.Message;

/** TLS clients for tests that trust only the lab CA, as a learner's kdig or browser would. */
final class LabCaClients {
  private LabCaClients() {}


  /** One DNS over TLS exchange on a new connection (RFC 7858: TCP's 2-byte framing inside TLS). */
  static Message dotQuery(SSLContext tls, InetSocketAddress dot, Message query) throws IOException {
    return DnsOverTlsExchange.exchange(tls, dot, query);
  }
}
