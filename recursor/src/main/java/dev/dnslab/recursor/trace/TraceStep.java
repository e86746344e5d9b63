package dev.dnslab.recursor.trace;

import java.util.List;

/**
 * One upstream exchange of a traced resolution. The JSON shape is documented in recursor/README.md
 * and is a contract with the lab's walk and web page: add fields, never rename or remove them.
 *
 * @param step 1-based position in the trace
 * @param depth 0 for the client's question, 1 and more for a name server's address looked up on
 *     the way (NS without glue)
 * @param zone the zone the server was asked about (the delegation point)
 * @param server who was asked
 * @param question what was asked (after QNAME minimisation; letter case as sent, 0x20 included)
 * @param transport "udp" or "tcp"
 * @param reply ANSWER, REFERRAL, CNAME, NXDOMAIN, NODATA, YXDOMAIN, LAME, THROWAWAY, or TRUNCATED, TIMEOUT,
 *     BLOCKED (the UpstreamPolicy refused the address), ERROR
 * @param rcode the reply's rcode, null without a reply
 * @param authoritative the reply's AA flag
 * @param answer the answer section, one zone-file line per record
 * @param authority the authority section
 * @param additional the additional section (OPT left out)
 * @param durationMillis from sending to the reply (or the timeout)
 * @param note what the recursor did next, in words
 * @param blocked for a BLOCKED step, the rule of the upstream policy that refused the address
 *     (its own listening address, loopback, outside the allow-list); null otherwise
 */
public record TraceStep(
    int step,
    int depth,
    String zone,
    Server server,
    Question question,
    String transport,
    String reply,
    String rcode,
    boolean authoritative,
    List<String> answer,
    List<String> authority,
    List<String> additional,
    double durationMillis,
    String note,
    Blocked blocked) {

  /** Why nothing was sent: the policy's rule (UpstreamRefusal's name) and the rule in words. */
  public record Blocked(String rule, String reason) {}

  /** A name server: its role in the lab (root, tld, authoritative), its name and its address. */
  public record Server(String role, String name, String address, int port) {}

  public record Question(String name, String type) {}
}
