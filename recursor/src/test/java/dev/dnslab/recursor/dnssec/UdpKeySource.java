package dev.dnslab.recursor.dnssec;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/**
 * A {@link KeySource} over real UDP (TCP after truncation): every DS and DNSKEY query, with DO, to
 * one server that holds every lab zone, as dnsjava's ValidatingResolver asks it. A query that gets
 * no answer completes with SERVFAIL, as the recursor's key source does when no authority answers.
 */
final class UdpKeySource implements KeySource {
  private final InetSocketAddress server;
  private final Duration timeout;

  UdpKeySource(InetSocketAddress server, Duration timeout) {
    this.server = server;
    this.timeout = timeout;
  }

  @Override
  public CompletableFuture<SignedAnswer> fetch(Name name, int type) {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(timeout);
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    String label = server.getAddress().getHostAddress() + "#" + server.getPort();
    return resolver.sendAsync(query).toCompletableFuture()
        .thenApply(response -> SignedAnswer.of(response, label))
        .exceptionally(error -> new SignedAnswer(name, type, Rcode.SERVFAIL, List.of(), List.of(), label));
  }
}
