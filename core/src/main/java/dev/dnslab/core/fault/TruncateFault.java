package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Answers every matching UDP query with TC set and empty sections; over TCP it answers normally.
 * RFC 1035 4.2.1 and RFC 7766 5: on TC the resolver must repeat the query over TCP.
 */
public final class TruncateFault extends FaultHandler {
  public TruncateFault(QueryMatch match, FaultListener listener) {
    super("truncate", match, listener);
  }

  @Override
  protected boolean appliesTo(DnsRequest request) {
    return request.transport() == Transport.UDP;
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return CompletableFuture.completedFuture(truncated(request));
  }

  /** An empty NOERROR response with TC set, the question echoed. */
  static Message truncated(DnsRequest request) {
    Message response = request.newResponse(Rcode.NOERROR);
    response.getHeader().setFlag(Flags.TC);
    return response;
  }
}
