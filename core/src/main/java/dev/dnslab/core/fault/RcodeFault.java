package dev.dnslab.core.fault;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Answers every matching query with an error code and nothing else: SERVFAIL for a broken server,
 * REFUSED for one that will not serve us. RFC 1034 5.3.3 and RFC 8906 3.1.4: a resolver treats
 * either as "try another server" and, when none is left, answers SERVFAIL itself.
 */
public final class RcodeFault extends FaultHandler {
  private final int rcode;

  public RcodeFault(QueryMatch match, int rcode, FaultListener listener) {
    super("rcode " + Rcode.string(rcode), match, listener);
    if (rcode < 1 || rcode > 15) {
      throw new IllegalArgumentException("rcode: " + rcode + " (expected: 1..15, a header error code)");
    }
    this.rcode = rcode;
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return CompletableFuture.completedFuture(request.newResponse(rcode));
  }

  public int rcode() {
    return rcode;
  }
}
