package dev.dnslab.router;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.client.DnsQuestion;
import dev.dnslab.core.cache.CacheRank;
import dev.dnslab.core.cache.CachedAnswer;
import dev.dnslab.core.cache.RRsets;
import dev.dnslab.core.cache.RecordCache;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.wire.ResponseSizeLimit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The router's one idea: answer from the cache when it can, otherwise ask the recursor and
 * remember what it said for as long as its TTLs allow. A home router's DNS forwarder (dnsmasq)
 * does the same; it never walks the hierarchy itself.
 */
public final class ForwardingHandler implements DnsHandler {
  private static final Logger log = LoggerFactory.getLogger(ForwardingHandler.class);

  /** The router does not know zones; everything it caches is filed under the root. */
  private static final Name NO_BAILIWICK = Name.root;

  /** The largest TTL a record may carry (RFC 2181 8: 2^31 - 1). */
  private static final long MAX_TTL = 0x7FFFFFFFL;

  /** The most CNAMEs followed in the cache or in a reply, like a recursor's restart cap. */
  private static final int MAX_CNAME_CHAIN = 8;

  private final RecordCache cache;
  private final CacheMetrics metrics;
  private final InetSocketAddress upstream;
  private final Duration timeout;
  private final EventLoops loops;

  /** A handler that asks {@code upstream} from sockets on {@code loops}, the router's DNS server's. */
  public ForwardingHandler(
      RecordCache cache, CacheMetrics metrics, InetSocketAddress upstream, Duration timeout, EventLoops loops) {
    this.cache = requireNonNull(cache, "cache");
    this.metrics = requireNonNull(metrics, "metrics");
    this.upstream = requireNonNull(upstream, "upstream");
    this.timeout = requireNonNull(timeout, "timeout");
    this.loops = requireNonNull(loops, "loops");
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    Record question = request.question();
    if (question == null || question.getDClass() != DClass.IN) {
      return next.proceed(request);
    }
    Message cached = fromCache(request, question.getName(), question.getType());
    if (cached != null) {
      metrics.hit();
      return CompletableFuture.completedFuture(cached);
    }
    metrics.miss();
    return forward(question).handle((reply, failure) -> {
      if (failure != null) {
        // No usable reply (a timeout, or bytes that do not parse or do not answer our question):
        // the recursor's fault, not a bug here, so SERVFAIL (RFC 8499: the server could not get an
        // answer) without the chain's stack trace for every query a hostile upstream spoils.
        log.debug("no usable reply from {} for {}: {}", upstream, request, failure.toString());
        return response(request, Rcode.SERVFAIL, List.of(), List.of());
      }
      remember(question.getName(), question.getType(), reply);
      return relay(request, reply);
    });
  }

  /** A lookup's response and whether the cache answered it. */
  public record Resolved(Message response, boolean fromCache) {}

  /** The same path as a DNS query, for callers that are not DNS clients (the admin port's /resolve). */
  public CompletionStage<Resolved> resolve(Name name, int type) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    InetSocketAddress local = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
    DnsRequest request = new DnsRequest(query, Transport.TCP, local, local, 65535, System.nanoTime());
    Message cached = fromCache(request, name, type);
    if (cached != null) {
      metrics.hit();
      return CompletableFuture.completedFuture(new Resolved(cached, true));
    }
    return handle(request, next -> CompletableFuture.completedFuture(next.newResponse(Rcode.REFUSED)))
        .thenApply(response -> new Resolved(response, false));
  }

  /**
   * Asks the recursor from a socket on the router's own event loops, with EDNS as SimpleResolver
   * asked before (a reply of up to 1232 bytes comes over UDP; a larger one is truncated and asked
   * again over TCP). The reply is parsed, cached and relayed on the event loop that took the
   * question (the DNS socket's, or the admin port's for /resolve, which shares the loops), which
   * then writes the answer at once, as it writes a cache hit; a caller on no loop (a test) gets it
   * on one of the router's loops.
   */
  private CompletionStage<Message> forward(Record question) {
    Message query = Message.newQuery(Record.newRecord(question.getName(), question.getType(), DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    query.addRecord(new OPTRecord(ResponseSizeLimit.DEFAULT_EDNS_UDP, 0, 0), Section.ADDITIONAL);
    return DnsQuestion.ask(loops, upstream, query, timeout);
  }

  /** A cached answer (CNAME chain included) or negative answer, TTLs counted down; null on a miss. */
  private Message fromCache(DnsRequest request, Name name, int type) {
    CachedAnswer cached = CachedAnswer.lookUp(cache, name, type, MAX_CNAME_CHAIN, Set.of());
    if (cached instanceof CachedAnswer.Data data) {
      return response(request, Rcode.NOERROR, data.chain(), List.of());
    }
    if (cached instanceof CachedAnswer.Negative negative) {
      return response(request, negative.nxdomain() ? Rcode.NXDOMAIN : Rcode.NOERROR, negative.chain(),
          List.of(negative.soa()));
    }
    // A miss, or a cached failure: the router stores none of its own, so it asks the recursor.
    return null;
  }

  private static Message response(DnsRequest request, int rcode, List<Record> answer, List<Record> authority) {
    Message response = request.newResponse(rcode);
    response.getHeader().setFlag(Flags.RA);
    answer.forEach(r -> response.addRecord(r, Section.ANSWER));
    authority.forEach(r -> response.addRecord(r, Section.AUTHORITY));
    return response;
  }

  /** The recursor's reply under the client's ID and question, OPT left to the EDNS handler. */
  private static Message relay(DnsRequest request, Message reply) {
    Message response = request.newResponse(reply.getRcode());
    response.getHeader().setFlag(Flags.RA);
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record record : reply.getSection(section)) {
        if (record.getType() != Type.OPT) {
          response.addRecord(record, section);
        }
      }
    }
    return response;
  }

  /** Files the answer's RRsets, or the negative answer with its SOA (RFC 2308 5). */
  private void remember(Name name, int type, Message reply) {
    int rcode = reply.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return;
    }
    // Only class IN, the class asked: the cache looks up by name and type, so a record of another
    // class in a hostile reply would otherwise be served as the IN answer. A TTL with the top bit
    // set counts as zero (RFC 2181 8): not cached, where the cache would keep it for --max-ttl.
    RRsets.group(reply.getSection(Section.ANSWER).stream()
            .filter(r -> r.getDClass() == DClass.IN && r.getTTL() <= MAX_TTL).toList())
        .forEach(rrset -> cache.putPositive(rrset, CacheRank.ANSWER, NO_BAILIWICK));
    SOARecord soa = reply.getSection(Section.AUTHORITY).stream()
        .filter(r -> r instanceof SOARecord && r.getDClass() == DClass.IN).map(SOARecord.class::cast).findFirst()
        .orElse(null);
    if (soa != null && (rcode == Rcode.NXDOMAIN || !hasAnswerFor(reply, type))) {
      cache.putNegative(lastTarget(name, reply), type, rcode == Rcode.NXDOMAIN, soa, NO_BAILIWICK);
    }
  }

  private static boolean hasAnswerFor(Message reply, int type) {
    return reply.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == type);
  }

  /** Where a CNAME chain in the answer ends: the name a negative answer is about. */
  private static Name lastTarget(Name name, Message reply) {
    Name current = name;
    for (int links = 0; links <= MAX_CNAME_CHAIN; links++) {
      Name from = current;
      CNAMERecord alias = reply.getSection(Section.ANSWER).stream()
          .filter(r -> r instanceof CNAMERecord && r.getName().equals(from))
          .map(CNAMERecord.class::cast).findFirst().orElse(null);
      if (alias == null) {
        break;
      }
      current = alias.getTarget();
    }
    return current;
  }
}
