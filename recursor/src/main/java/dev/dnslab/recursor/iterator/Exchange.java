package dev.dnslab.recursor.iterator;

import dev.dnslab.core.server.Transport;
import java.net.InetAddress;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * One upstream query in flight: set when QUERY_TARGETS sends, read by QUERY_RESPONSE.
 *
 * @param query the query as sent (its question in 0x20 letter case when scrambled)
 * @param askedName the name asked, after QNAME minimisation, in its own letter case
 * @param server who was asked
 * @param role the server's role in metric tags and traces (ServerRoleNamer), named once per query
 * @param transport UDP, or TCP after a truncated reply
 * @param sentAtNanos {@link System#nanoTime()} when it was sent
 */
record Exchange(Message query, Name askedName, InetAddress server, String role, Transport transport,
    long sentAtNanos) {
  double elapsedMillis() {
    return (System.nanoTime() - sentAtNanos) / 1e6;
  }
}
