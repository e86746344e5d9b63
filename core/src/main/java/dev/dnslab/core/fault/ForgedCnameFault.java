package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Answers normally, but every CNAME the server synthesised from a DNAME (a CNAME whose owner is
 * below a DNAME's owner in the same answer) points at {@code target} instead. RFC 6672 3.2: a
 * resolver checks the CNAME against the DNAME, or synthesises it itself, so the forged target never
 * reaches a client; a resolver that follows the CNAME as sent is led to {@code target}.
 */
public final class ForgedCnameFault extends FaultHandler {
  private final Name target;

  public ForgedCnameFault(QueryMatch match, Name target, FaultListener listener) {
    super("forged-cname", match, listener);
    this.target = requireNonNull(target, "target");
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return next.proceed(request).thenApply(this::forge);
  }

  private Message forge(Message response) {
    List<Record> answer = response.getSection(Section.ANSWER);
    List<DNAMERecord> dnames = answer.stream()
        .filter(DNAMERecord.class::isInstance).map(DNAMERecord.class::cast).toList();
    if (dnames.isEmpty()) {
      return response;
    }
    response.removeAllRecords(Section.ANSWER);
    for (Record record : answer) {
      boolean synthesised = record instanceof CNAMERecord && dnames.stream().anyMatch(dname ->
          record.getName().subdomain(dname.getName()) && !record.getName().equals(dname.getName()));
      response.addRecord(synthesised
          ? new CNAMERecord(record.getName(), record.getDClass(), record.getTTL(), target)
          : record, Section.ANSWER);
    }
    return response;
  }
}
