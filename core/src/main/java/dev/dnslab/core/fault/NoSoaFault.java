package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.util.List;
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
  public NoSoaFault(QueryMatch match, FaultListener listener) {
    super("no-soa", match, listener);
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return next.proceed(request).thenApply(NoSoaFault::withoutSoa);
  }

  /**
   * The response without its SOA and, in a signed answer (DO set), without the RRSIG over it; the
   * NSEC or NSEC3 proof stays. getSection is the live list, so the records to drop are picked first.
   */
  static Message withoutSoa(Message response) {
    List<Record> soa = response.getSection(Section.AUTHORITY).stream()
        .filter(record -> record.getRRsetType() == Type.SOA)
        .collect(Collectors.toList());
    soa.forEach(record -> response.removeRecord(record, Section.AUTHORITY));
    return response;
  }
}
