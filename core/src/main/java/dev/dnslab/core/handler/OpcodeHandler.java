package dev.dnslab.core.handler;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;

/** Only standard queries go further; any other opcode (NOTIFY, UPDATE, unknown) gets NOTIMP. */
public final class OpcodeHandler implements DnsHandler {
  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    if (request.query().getHeader().getOpcode() != Opcode.QUERY) {
      // RFC 1035 4.1.1: NOTIMP, "the name server does not support the requested kind of query".
      return CompletableFuture.completedFuture(request.newResponse(Rcode.NOTIMP));
    }
    return next.proceed(request);
  }
}
