package dev.dnslab.core.authority;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneRepository;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Full zone transfers (AXFR, RFC 5936) of the lab's zones, over TCP only and to allowed clients
 * only (loopback by default). IXFR is answered with the full zone, as RFC 1995 4 permits a server
 * without a change history to do.
 */
public final class ZoneTransferHandler implements DnsHandler {
  private final ZoneRepository zones;
  private final List<Cidr> allowed;

  public ZoneTransferHandler(ZoneRepository zones, List<Cidr> allowed) {
    this.zones = requireNonNull(zones, "zones");
    this.allowed = List.copyOf(requireNonNull(allowed, "allowed"));
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    int qtype = request.question().getType();
    if (qtype != Type.AXFR && qtype != Type.IXFR) {
      return next.proceed(request);
    }
    return CompletableFuture.completedFuture(transfer(request, qtype));
  }

  private Message transfer(DnsRequest request, int qtype) {
    if (!Cidr.anyContains(allowed, request.client().getAddress())) {
      return request.newResponse(Rcode.REFUSED); // RFC 5936 6: transfers are subject to policy
    }
    Zone zone = zones.zones().zone(request.question().getName());
    if (zone == null) {
      return request.newResponse(Rcode.NOTAUTH); // not the apex of a zone we serve
    }
    Message response = request.newResponse(Rcode.NOERROR);
    response.getHeader().setFlag(Flags.AA);
    if (!request.transport().isStream()) {
      if (qtype == Type.IXFR) {
        // RFC 1995 2: over UDP, a server that cannot send the changes sends its SOA alone.
        response.addRecord(zone.soa(), Section.ANSWER);
      } else {
        // AXFR is a stream protocol (RFC 5936 4.2); TC tells the client to come back over TCP.
        response.getHeader().setFlag(Flags.TC);
      }
      return response;
    }
    // RFC 5936 2.2: the SOA opens and closes the transfer.
    response.addRecord(zone.soa(), Section.ANSWER);
    for (Record record : zone.records()) {
      if (record.getType() != Type.SOA) {
        response.addRecord(record, Section.ANSWER);
      }
    }
    response.addRecord(zone.soa(), Section.ANSWER);
    return response;
  }
}
