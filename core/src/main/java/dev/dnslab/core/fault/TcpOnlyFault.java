package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.server.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * A server that answers only over TCP. Every UDP query is either dropped (a UDP-filtering firewall)
 * or answered with an empty TC response (a server that pushes everyone to TCP). RFC 7766 5: a
 * resolver must retry over TCP after TC; RFC 7766 6.2.2 allows, but does not require, a TCP retry
 * after UDP timeouts, so for {@link UdpAnswer#DROP} giving up with SERVFAIL is also correct.
 */
public final class TcpOnlyFault extends FaultHandler {
  /** What a UDP query gets. */
  public enum UdpAnswer {
    DROP,
    TRUNCATE
  }

  private final UdpAnswer udpAnswer;

  public TcpOnlyFault(QueryMatch match, UdpAnswer udpAnswer, FaultListener listener) {
    super("tcp-only " + requireNonNull(udpAnswer, "udpAnswer").name().toLowerCase(java.util.Locale.ROOT), match, listener);
    this.udpAnswer = udpAnswer;
  }

  @Override
  protected boolean appliesTo(DnsRequest request) {
    return request.transport() == Transport.UDP;
  }

  @Override
  protected CompletionStage<Message> inject(DnsRequest request, DnsChain next) {
    return udpAnswer == UdpAnswer.DROP
        ? silence()
        : CompletableFuture.completedFuture(TruncateFault.truncated(request));
  }

  public UdpAnswer udpAnswer() {
    return udpAnswer;
  }
}
