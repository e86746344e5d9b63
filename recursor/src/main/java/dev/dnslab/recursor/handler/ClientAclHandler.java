package dev.dnslab.recursor.handler;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Serves only the clients it is meant for: RFC 5358 4 asks that a recursive resolver not be open
 * to the whole Internet. Everyone else gets REFUSED, without recursion or cache lookups.
 */
public final class ClientAclHandler implements DnsHandler {
  private final List<Cidr> allowed;

  public ClientAclHandler(List<Cidr> allowed) {
    this.allowed = List.copyOf(requireNonNull(allowed, "allowed"));
  }

  /** Whether {@code client} is one of the clients served. */
  public boolean allows(InetAddress client) {
    return Cidr.anyContains(allowed, client);
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    if (!allows(request.client().getAddress())) {
      Message refused = request.newResponse(Rcode.REFUSED);
      refused.getHeader().setFlag(Flags.RA);
      return CompletableFuture.completedFuture(refused);
    }
    return next.proceed(request);
  }
}
