package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * Answers with the right data under the wrong message ID (the query's ID plus one), as a blind
 * spoofer would. RFC 5452 3 and 9.1, RFC 1035 7.3: a resolver must drop a response whose ID does not
 * match its query and keep waiting, then retry; it must never use the data.
 */
public final class WrongIdFault extends FaultHandler {
  public WrongIdFault(QueryMatch match, FaultListener listener) {
    super("wrong-id", match, listener);
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return next.proceed(request)
        .thenApply(
            response -> {
              response.getHeader().setID((request.id() + 1) & 0xFFFF);
              return response;
            });
  }
}
