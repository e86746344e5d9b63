package dev.dnslab.recursor.iterator;

import dev.dnslab.core.server.Transport;
import java.io.IOException;
import java.net.InetAddress;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * One upstream query in flight: set when QUERY_TARGETS sends, read by QUERY_RESPONSE.
 *
 * @param query the query as sent, its question in the asked name's own letter case
 * @param nameOnWire the question name's wire form as sent in 0x20 letter case, or null when the
 *     query's own spelling was sent
 * @param askedName the name asked, after QNAME minimisation, in its own letter case
 * @param server who was asked
 * @param role the server's role in metric tags and traces (ServerRoleNamer), named once per query
 * @param transport UDP, or TCP after a truncated reply
 * @param sentAtNanos {@link System#nanoTime()} when it was sent
 */
record Exchange(Message query, byte[] nameOnWire, Name askedName, InetAddress server, String role, Transport transport,
    long sentAtNanos) {
  /** The question's name as it went out: in its 0x20 spelling when scrambled. */
  Name questionNameAsSent() {
    Name own = query.getQuestion().getName();
    if (nameOnWire == null) {
      return own;
    }
    try {
      return new Name(nameOnWire);
    } catch (IOException e) {
      return own; // cannot happen: the bytes are own's with letters recased
    }
  }

  double elapsedMillis() {
    return (System.nanoTime() - sentAtNanos) / 1e6;
  }
}
