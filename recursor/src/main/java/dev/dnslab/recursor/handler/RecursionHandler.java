package dev.dnslab.recursor.handler;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.recursor.iterator.Outcome;
import dev.dnslab.recursor.iterator.Resolver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The recursor's answer: from the cache when it can, otherwise by iterating from the root. A query
 * with RD clear is answered from the cache only (REFUSED when it holds nothing). Every response
 * carries RA (RFC 1035 4.1.1: recursion is available here).
 */
public final class RecursionHandler implements DnsHandler {
  private static final String STALE_ANSWER_TEXT = "no authority answered: data past its TTL (RFC 8767)";

  private final Resolver resolver;
  private final CacheMetrics cacheMetrics;

  public RecursionHandler(Resolver resolver, CacheMetrics cacheMetrics) {
    this.resolver = requireNonNull(resolver, "resolver");
    this.cacheMetrics = requireNonNull(cacheMetrics, "cacheMetrics");
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    Record question = request.question();
    int type = question.getType();
    if (question.getDClass() != DClass.IN) {
      return CompletableFuture.completedFuture(withRa(request.newResponse(Rcode.NOTIMP)));
    }
    if (type == Type.AXFR || type == Type.IXFR || type == Type.MAILA || type == Type.MAILB) {
      // Zone transfers and meta types are for authorities, not for a resolver.
      return CompletableFuture.completedFuture(withRa(request.newResponse(Rcode.REFUSED)));
    }
    boolean recursionDesired = request.query().getHeader().getFlag(Flags.RD);
    return (recursionDesired ? resolver.resolve(question.getName(), type) : resolver.lookUpCache(question.getName(), type))
        .thenApply(outcome -> respond(request, outcome));
  }

  private Message respond(DnsRequest request, Outcome outcome) {
    if (outcome.fromCache()) {
      cacheMetrics.hit();
    } else {
      cacheMetrics.miss();
    }
    Message response = withRa(request.newResponse(outcome.rcode()));
    Name spelled = request.question().getName();
    for (Record record : outcome.answer()) {
      // Answer with the client's own letter case for its name (RFC 1034 3.1), as 0x20 stubs expect.
      response.addRecord(record.getName().equals(spelled) ? record.withName(spelled) : record, Section.ANSWER);
    }
    for (Record record : outcome.authority()) {
      response.addRecord(record, Section.AUTHORITY);
    }
    // RFC 8914 4.4 and RFC 8767 4: say the answer is stale, in EDE code 3; RFC 8914 4.23: say
    // why a SERVFAIL failed (EDE 22, no reachable authority).
    ExtendedErrorCodeOption ede = outcome.stale()
        ? new ExtendedErrorCodeOption(ExtendedErrorCodeOption.STALE_ANSWER, STALE_ANSWER_TEXT)
        : outcome.extendedError() != null
            ? new ExtendedErrorCodeOption(outcome.extendedError().code(), outcome.extendedError().text())
            : null;
    if (ede != null && request.query().getOPT() != null) {
      // EdnsHandler completes this OPT (payload size, DO) and keeps its options.
      response.addRecord(new OPTRecord(0, 0, 0, 0, List.of(ede)), Section.ADDITIONAL);
    }
    return response;
  }

  private static Message withRa(Message response) {
    response.getHeader().setFlag(Flags.RA);
    return response;
  }
}
