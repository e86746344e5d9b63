package dev.dnslab.recursor.handler;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Answers special-use and locally served names here, without asking anyone: the zones and their
 * data are {@link LocallyServedZones} (RFC 6761 6.3, 6.4 and RFC 6303 3). Every answer is
 * authoritative (AA); other classes than IN pass on.
 */
public final class LocallyServedZoneHandler implements DnsHandler {
  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    Record question = request.question();
    // The client's own spelling of its name, as 0x20 stubs expect (RFC 1034 3.1).
    LocallyServedZones.LocalAnswer local = question.getDClass() == DClass.IN
        ? LocallyServedZones.answer(question.getName(), question.getType())
        : null;
    if (local == null) {
      return next.proceed(request);
    }
    Message response = request.newResponse(local.rcode());
    response.getHeader().setFlag(Flags.AA);
    local.answer().forEach(record -> response.addRecord(record, Section.ANSWER));
    local.authority().forEach(record -> response.addRecord(record, Section.AUTHORITY));
    return CompletableFuture.completedFuture(response);
  }
}
