package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Removes the SOA from the authority section, so a negative answer arrives without one: NODATA as
 * NOERROR with nothing at all (RFC 2308 2.2 type 3), NXDOMAIN without the SOA (2.1 type 3), as some
 * servers and middleboxes send. RFC 2308 5: such a negative answer gives the resolver no TTL to
 * cache it by, so it may answer the client but should not keep it.
 */
public final class NoSoaFault extends FaultHandler {
  /** The SOA and the denial proofs (RFC 4035 3.1.3, RFC 5155 7.2) of a negative answer. */
  private static final Set<Integer> NEGATIVE_ANSWER_TYPES = Set.of(Type.SOA, Type.NSEC, Type.NSEC3);

  public NoSoaFault(QueryMatch match, FaultListener listener) {
    super("no-soa", match, listener);
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return next.proceed(request).thenApply(NoSoaFault::withoutSoa);
  }

  /**
   * The negative answer without its SOA and, in a signed lab (DO set), without the NSEC or NSEC3
   * proof and their RRSIGs either: what the fault stands for is a negative answer with nothing at
   * all (with the proof left in, BIND 9.18 answered SERVFAIL in the resolver matrix, where the
   * unsigned reply gave NOERROR). Responses with answer records are left alone. getSection is the live list, so
   * the records to drop are picked first.
   */
  static Message withoutSoa(Message response) {
    List<Record> authority = response.getSection(Section.AUTHORITY);
    boolean negative = response.getSection(Section.ANSWER).isEmpty()
        && authority.stream().anyMatch(record -> record.getType() == Type.SOA);
    if (!negative) {
      return response;
    }
    List<Record> negativeAnswer = authority.stream()
        .filter(record -> NEGATIVE_ANSWER_TYPES.contains(record.getRRsetType()))
        .collect(Collectors.toList());
    negativeAnswer.forEach(record -> response.removeRecord(record, Section.AUTHORITY));
    return response;
  }
}
