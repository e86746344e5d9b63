package dev.dnslab.recursor.handler;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.core.cache.RRsets;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.ReadyStage;
import dev.dnslab.recursor.dnssec.Verdict;
import dev.dnslab.recursor.iterator.Outcome;
import dev.dnslab.recursor.iterator.Resolver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
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
  private final RenderedAnswers rendered;

  /** A handler that keeps its cache hits rendered in {@code rendered}, for the recursor's shortcut. */
  public RecursionHandler(Resolver resolver, CacheMetrics cacheMetrics, RenderedAnswers rendered) {
    this.resolver = requireNonNull(resolver, "resolver");
    this.cacheMetrics = requireNonNull(cacheMetrics, "cacheMetrics");
    this.rendered = requireNonNull(rendered, "rendered");
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
    // RFC 4035 3.2.2: CD asks for the data unvalidated; the client validates it itself.
    boolean checkingDisabled = request.query().getHeader().getFlag(Flags.CD);
    // Noted before the lookup, so that a change of the cache meanwhile keeps the answer from being kept.
    RenderedAnswers.Capture capture = rendered.capture(request);
    CompletionStage<Outcome> outcome = recursionDesired
        ? resolver.resolve(question.getName(), type, checkingDisabled)
        : resolver.lookUpCache(question.getName(), type, checkingDisabled);
    // A cache hit has its outcome already: answer on the spot rather than chain a stage per hit.
    Outcome ready = ReadyStage.valueOrNull(outcome);
    if (ready != null) {
      try {
        Message response = respond(request, ready);
        if (capture != null && explanation(ready) == null) {
          capture.offer(ready, response);
        }
        return CompletableFuture.completedFuture(response);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e); // as thenApply would have failed its stage
      }
    }
    return outcome.thenApply(done -> respond(request, done));
  }

  private Message respond(DnsRequest request, Outcome outcome) {
    if (outcome.fromCache()) {
      cacheMetrics.hit();
    } else {
      cacheMetrics.miss();
    }
    Message response = withRa(request.newResponse(outcome.rcode()));
    Name spelled = request.question().getName();
    OPTRecord queryOpt = request.query().getOPT();
    // RFC 4035 3.2.1 and RFC 3225 3: RRSIGs, NSEC and NSEC3 go only to a client that set DO.
    boolean dnssecOk = queryOpt != null && (queryOpt.getFlags() & ExtendedFlags.DO) != 0;
    Message query = request.query();
    // RFC 4035 3.2.3 and RFC 6840 5.7: AD only on data validation proved secure, and only for a
    // client that showed it understands it (DO or AD on the query); never on insecure answers.
    if (outcome.secure() && outcome.rcode() != Rcode.SERVFAIL
        && (dnssecOk || query.getHeader().getFlag(Flags.AD))) {
      response.getHeader().setFlag(Flags.AD);
    }
    List<Record> answer = dnssecOk ? withSignatures(outcome.answer(), outcome.answerSignatures()) : outcome.answer();
    for (Record record : answer) {
      // Answer with the client's own letter case for its name (RFC 1034 3.1), as 0x20 stubs expect.
      response.addRecord(record.getName().equals(spelled) ? record.withName(spelled) : record, Section.ANSWER);
    }
    List<Record> authority = dnssecOk ? withSignatures(outcome.authority(), outcome.proofs()) : outcome.authority();
    for (Record record : authority) {
      response.addRecord(record, Section.AUTHORITY);
    }
    if (queryOpt != null) {
      ExtendedErrorCodeOption explanation = explanation(outcome);
      if (explanation != null) {
        // EdnsHandler completes this OPT (payload size, DO) and keeps its options. Only a client
        // that sent OPT gets one back (RFC 6891 7), so EDE needs EDNS on the query: dig sends it.
        response.addRecord(new OPTRecord(0, 0, 0, 0, List.of(explanation)), Section.ADDITIONAL);
      }
    }
    return response;
  }

  /**
   * The RFC 8914 Extended DNS Error of an outcome, or null: code 3 on a stale answer (RFC 8767 4),
   * on every SERVFAIL its code and EXTRA-TEXT naming the zone and the servers, and on an answer
   * that validation found insecure for a reason worth saying (1 Unsupported DNSKEY Algorithm, 2
   * Unsupported DS Digest Type, ...: RFC 8914 lets EDE inform with any rcode).
   */
  private static ExtendedErrorCodeOption explanation(Outcome outcome) {
    if (outcome.stale()) {
      return new ExtendedErrorCodeOption(ExtendedErrorCodeOption.STALE_ANSWER, STALE_ANSWER_TEXT);
    }
    if (outcome.rcode() == Rcode.SERVFAIL) {
      int code = outcome.edeCode() == Outcome.NO_EDE ? ExtendedErrorCodeOption.OTHER : outcome.edeCode();
      return new ExtendedErrorCodeOption(code, outcome.failure() == null ? "" : outcome.failure());
    }
    Verdict verdict = outcome.verdict();
    if (verdict != null && verdict.edeCode() != Verdict.NO_EDE) {
      return new ExtendedErrorCodeOption(verdict.edeCode(), verdict.reason());
    }
    return null;
  }

  /**
   * The records with their signatures, each RRset followed by its RRSIGs: so the response encoder,
   * which truncates by whole RRsets and counts an RRSIG as part of the RRset it covers, never
   * splits an RRset from its signatures (RFC 2181 9, RFC 4035 3.1.1).
   */
  private static List<Record> withSignatures(List<Record> records, List<Record> signatures) {
    if (signatures.isEmpty()) {
      return records;
    }
    List<Record> all = new ArrayList<>(records);
    all.addAll(signatures);
    return RRsets.records(RRsets.group(all));
  }

  private static Message withRa(Message response) {
    response.getHeader().setFlag(Flags.RA);
    return response;
  }
}
