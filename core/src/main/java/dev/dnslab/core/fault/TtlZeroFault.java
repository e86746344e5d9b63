package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Rewrites the TTL of every record in the answer, authority and additional sections to 0. RFC 1035
 * 3.2.1 and RFC 2181 8: TTL 0 means "use for this transaction only, do not cache"; a resolver must
 * still answer the query, and must ask again for the next one.
 */
public final class TtlZeroFault extends FaultHandler {

  public TtlZeroFault(QueryMatch match, FaultListener listener) {
    super("ttl-zero", match, listener);
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return next.proceed(request).thenApply(TtlZeroFault::zeroTtls);
  }

  private static Message zeroTtls(Message response) {
    for (int section : RRSET_SECTIONS) {
      var records = response.getSection(section);
      response.removeAllRecords(section);
      for (Record record : records) {
        // The OPT pseudo-record's TTL field carries EDNS flags, not a lifetime (RFC 6891 6.1.3).
        response.addRecord(record.getType() == Type.OPT ? record : withTtlZero(record), section);
      }
    }
    return response;
  }

  static Record withTtlZero(Record record) {
    return Record.newRecord(
        record.getName(), record.getType(), record.getDClass(), 0, record.rdataToWireCanonical());
  }
}
