package dev.dnslab.cli.visit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.dnslab.recursor.trace.TraceDnssec;
import java.util.List;

/**
 * Everything one {@code dnslab visit} saw, in the order of the story the articles tell
 * (docs/articles.md). This is also the
 * {@code --json} document: its shape is documented in docs/visit.md and is a contract (add fields,
 * never rename or remove them). Absent parts are null, never missing.
 *
 * @param url the URL visited
 * @param host the host name looked up
 * @param caches step 1: the four cache checks, in order (browser, os, router, isp)
 * @param lookup step 2: where the address came from and, on a full miss, the recursor's walk
 * @param connection step 3: the TCP three-way handshake
 * @param exchange step 4: the HTTP request and response messages
 * @param rendering step 5: what the browser would draw
 * @param closing step 6: how the connection ended
 */
public record VisitReport(
    String url,
    String host,
    List<CacheCheck> caches,
    Lookup lookup,
    Connection connection,
    Exchange exchange,
    Rendering rendering,
    Closing closing) {

  /** Which of the four caches, in the articles' order. */
  public enum CacheName { browser, os, router, isp }

  /**
   * One cache check.
   *
   * @param cache browser, os, router or isp
   * @param result hit, miss, skipped (an earlier cache answered) or unknown (could not ask)
   * @param ttl seconds the entry has left, on a hit
   * @param addresses the cached addresses, on a hit (for router/isp: the cached records)
   * @param where who holds it: "this process", a server address
   */
  public record CacheCheck(CacheName cache, String result, Long ttl, List<String> addresses, String where) {}

  /**
   * Step 2.
   *
   * @param answeredBy the cache that had the address (browser, os, router, isp) or "walk"
   * @param addresses the host's IPv4 addresses
   * @param ttl the answer's TTL (the smallest along a CNAME chain)
   * @param answer the DNS answer section as zone-file lines (empty on a browser/OS cache hit)
   * @param walk the recursor's walk from root to authoritative, null when a cache answered
   */
  public record Lookup(String answeredBy, List<String> addresses, Long ttl, List<String> answer, Walk walk) {}

  /**
   * The recursor's iterative resolution (its {@code /trace}), with the second article's step numbers.
   *
   * @param dnssec the answer's chain of trust, the recursor's {@code /trace} {@code dnssec} block as
   *     it sent it (recursor/README.md); null when the recursor did not validate
   */
  public record Walk(String rcode, int upstreamQueries, double durationMillis, List<WalkStep> steps, TraceDnssec dnssec) {
    /** A walk without a chain of trust. */
    public Walk(String rcode, int upstreamQueries, double durationMillis, List<WalkStep> steps) {
      this(rcode, upstreamQueries, durationMillis, steps, null);
    }
  }

  /**
   * One question the recursor asked a name server and what came back.
   *
   * @param step the recursor's own count of its upstream questions
   * @param articleStep the second article's step numbers: "3-4" (root), "5-6" (TLD), "7-8" (authoritative)
   * @param depth 0 for the visit's own question, 1+ for a name server's address looked up on the way
   * @param role root, tld or authoritative
   * @param server the name server's name
   * @param address the name server's address
   * @param question name and type asked
   * @param reply REFERRAL, ANSWER, CNAME, NXDOMAIN, ...
   * @param referral on a referral: the zone the reply delegates to
   * @param nameServers on a referral: the NS records
   * @param answer on an answer: the answer records
   * @param durationMillis the round trip
   * @param dnssec the lock of this step: the verdict (SECURE, INSECURE, BOGUS, INDETERMINATE) on the
   *     zone the server was asked about, from the walk's chain of trust; null when not validated
   */
  @JsonPropertyOrder({"step", "articleStep", "seedStep"})
  public record WalkStep(
      int step,
      String articleStep,
      int depth,
      String role,
      String server,
      String address,
      String question,
      String reply,
      String referral,
      List<String> nameServers,
      List<String> answer,
      double durationMillis,
      String dnssec) {

    /** A step without a lock (the walk was not validated). */
    public WalkStep(int step, String articleStep, int depth, String role, String server, String address, String question,
        String reply, String referral, List<String> nameServers, List<String> answer, double durationMillis) {
      this(step, articleStep, depth, role, server, address, question, reply, referral, nameServers, answer,
          durationMillis, null);
    }

    /**
     * The old name of {@link #articleStep()} in the JSON document, written with the same value for
     * one release so that existing readers keep working (docs/visit.md).
     *
     * @deprecated read {@code articleStep}; this field is removed in 0.2
     */
    @Deprecated(since = "0.1", forRemoval = true)
    @JsonProperty("seedStep")
    public String seedStep() {
      return articleStep;
    }
  }

  /**
   * Step 3.
   *
   * @param server the address and port connected to
   * @param client the local address and port
   * @param connectMillis how long connect() took
   * @param captured whether the packets below came from the wire (tshark)
   * @param packets SYN, SYN-ACK, ACK as captured (empty when not captured)
   * @param note how to see the packets when they were not captured
   */
  public record Connection(
      String server, String client, double connectMillis, boolean captured, List<Packet> packets, String note) {}

  /**
   * One captured TCP segment.
   *
   * @param from "client" or "server"
   * @param flags SYN, SYN-ACK, ACK, FIN-ACK, ...
   * @param seq the absolute sequence number
   * @param ack the absolute acknowledgement number (0 when the ACK flag is off)
   * @param relativeSeq the sequence number relative to the sender's first (as Wireshark shows)
   * @param relativeAck the acknowledgement number relative to the peer's first
   * @param state the TCP state the sender is in after sending it (SYN_SENT, SYN_RECEIVED, ...)
   * @param millis time since the first captured segment
   */
  public record Packet(
      String from, String flags, long seq, long ack, long relativeSeq, long relativeAck, String state, double millis) {}

  /** Step 4: the two messages. */
  public record Exchange(HttpMessage request, HttpMessage response, boolean https, double millis) {}

  /**
   * One HTTP message as the articles divide it.
   *
   * @param startLine the first line as sent
   * @param method request: GET
   * @param target request: /
   * @param version HTTP/1.1
   * @param statusCode response: 200
   * @param statusText response: OK
   * @param headers every header with its group (request, response, general, representation)
   * @param body the body
   */
  public record HttpMessage(
      String startLine,
      String method,
      String target,
      String version,
      Integer statusCode,
      String statusText,
      List<Header> headers,
      Body body) {}

  public record Header(String name, String value, String group) {}

  /**
   * @param bytes body length in bytes
   * @param contentType the Content-Type header, null without one
   * @param readAs how the Content-Type says to read the body: html, text, json, css, image, ...
   */
  public record Body(int bytes, String contentType, String readAs) {}

  /** Step 5: the page's title and text, and the screenshot file when one was made. */
  public record Rendering(String title, String text, String screenshot, String screenshotNote) {}

  /** Step 6: FIN/ACK segments when captured, and who closed first. */
  public record Closing(boolean captured, List<Packet> packets, String note) {}
}
