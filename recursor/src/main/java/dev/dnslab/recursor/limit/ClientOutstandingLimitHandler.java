package dev.dnslab.recursor.limit;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Lets each client network have at most {@link ClientLimits#maxOutstanding()} queries being answered
 * at once (BIND's {@code clients-per-query} and {@code recursive-clients}, per client). Cache hits
 * are answered at once and never pile up; what piles up are resolutions waiting for upstream
 * servers, so this bounds the upstream work one network can keep going. A query over the limit gets
 * SERVFAIL at once, without any upstream query: the client may ask again when its others are done.
 */
public final class ClientOutstandingLimitHandler implements DnsHandler {
  private final ClientLimits limits;
  private final LimitReporter reporter;
  // Only networks with a query in flight have an entry, so the map is as large as the work going on.
  private final Map<Cidr, Integer> outstanding = new ConcurrentHashMap<>();

  public ClientOutstandingLimitHandler(ClientLimits limits, LimitReporter reporter) {
    this.limits = requireNonNull(limits, "limits");
    this.reporter = requireNonNull(reporter, "reporter");
  }

  /**
   * Whether {@link #handle} would let one more query from {@code client} through now: its network
   * is not limited, or has fewer than the limit being answered. A cache hit answered at once holds
   * its place only while it is answered, so this is all such an answer needs of the limit.
   */
  public boolean admitsAnother(InetAddress client) {
    Cidr network = networkOf(client);
    return network == null || outstanding(network) < limits.maxOutstanding();
  }

  /** Whether {@code client} is held to this limit at all: it is on, and the client is not exempt. */
  public boolean limits(InetAddress client) {
    return networkOf(client) != null;
  }

  private Cidr networkOf(InetAddress client) {
    return limits.maxOutstanding() > 0 ? limits.networkOf(client) : null;
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    Cidr network = networkOf(request.client().getAddress());
    if (network == null) {
      return next.proceed(request);
    }
    int inFlight = outstanding.merge(network, 1, Integer::sum);
    if (inFlight > limits.maxOutstanding()) {
      release(network);
      reporter.reached(Limit.CLIENT_OUTSTANDING,
          network + " already has " + limits.maxOutstanding() + " queries being answered");
      Message servfail = request.newResponse(Rcode.SERVFAIL);
      servfail.getHeader().setFlag(Flags.RA);
      return CompletableFuture.completedFuture(servfail);
    }
    CompletionStage<Message> answer;
    try {
      answer = next.proceed(request);
    } catch (RuntimeException e) {
      release(network);
      throw e;
    }
    return answer.whenComplete((response, failure) -> release(network));
  }

  private void release(Cidr network) {
    outstanding.computeIfPresent(network, (n, count) -> count == 1 ? null : count - 1);
  }

  /** Queries of {@code network} being answered now. */
  int outstanding(Cidr network) {
    return outstanding.getOrDefault(network, 0);
  }
}
