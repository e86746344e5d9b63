package dev.dnslab.recursor.handler;

import dev.dnslab.core.handler.EdnsHandler;
import dev.dnslab.core.handler.PlainResponseOpt;
import dev.dnslab.core.handler.QueryLogHandler;
import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.AnswerShortcut;
import dev.dnslab.core.server.Transport;
import dev.dnslab.core.wire.PlainQuery;
import dev.dnslab.recursor.limit.ClientOutstandingLimitHandler;
import dev.dnslab.recursor.limit.ClientRateLimitHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The recursor's way to answer a cache hit it answered before: the {@link RenderedAnswers} answer
 * copied and patched for a {@link PlainQuery} (ID, RD, CD, the client's letter case, TTLs counted
 * down, the OPT record), without a dnsjava message or a trip through the handler chain.
 *
 * <p>It stands in for exactly the recursor's chain {@code QueryLog -> Metrics -> ClientAcl ->
 * ClientRateLimit -> ClientOutstandingLimit -> Opcode -> EDNS -> LocallyServedZone -> Recursion}
 (its maker builds it for no other), and only where that chain's answer is known without
 * running it: the query log does not write the query (it is not at DEBUG), the client is allowed,
 * its network may have another query answered and has a token left (taken here, as the rate
 * limit's handler takes it), the query is a QUERY (the opcode handler passes it on) with an OPT of
 * version 0 without options or none (the EDNS handler appends its own OPT), and the answer was
 * kept by the recursion handler for the same question and flags, so it is no locally served name.
 * An answer that does not fit the client's limit goes to the chain, which truncates it. What the
 * chain counts for such a hit is counted here: the query and its rcode, the cache hit and, with
 * validation, the verdict from the cache.
 */
public final class CacheHitShortcut implements AnswerShortcut {

  private final QueryLogHandler queryLog;
  private final DnsMetrics metrics;
  private final ClientAclHandler acl;
  private final ClientRateLimitHandler rateLimit;
  private final ClientOutstandingLimitHandler outstanding;
  private final RenderedAnswers answers;
  private final Runnable primeIfDue;
  private final PlainResponseOpt opt;
  /**
   * The last client found allowed by the ACL and exempt from both limits (the lab's and the
   * benchmarks' loopback clients): nothing about it to check again, as neither the ACL nor the
   * limits change while the server runs. Compared by address, which for IPv4 is one int.
   */
  private volatile InetAddress unlimitedClient;

  /**
   * The shortcut past the recursor's chain, made of that chain's own handlers (so it asks what they
   * would ask) by the one who builds the chain ({@code RecursorServer}), which knows there is nothing
   * else in it. {@code primeIfDue} is the resolver's, which the chain runs for every query it
   * resolves (RFC 9609 3).
   */
  public CacheHitShortcut(QueryLogHandler queryLog, DnsMetrics metrics, ClientAclHandler acl,
      ClientRateLimitHandler rateLimit, ClientOutstandingLimitHandler outstanding, EdnsHandler edns,
      RenderedAnswers answers, Runnable primeIfDue) {
    this.queryLog = queryLog;
    this.metrics = metrics;
    this.acl = acl;
    this.rateLimit = rateLimit;
    this.outstanding = outstanding;
    this.answers = answers;
    this.primeIfDue = primeIfDue;
    this.opt = new PlainResponseOpt(edns);
  }

  @Override
  public ByteBuf answer(
      PlainQuery query, Transport transport, InetSocketAddress client, int limit, ByteBufAllocator alloc) {
    long start = System.nanoTime();
    if (client == null || queryLog.logsQueries() || query.hasCookie()) {
      return null; // a cookie's answer (RFC 7873) is the chain's
    }
    long now = answers.now();
    RenderedAnswers.Answer known = answers.lookUp(query, now);
    if (known == null) {
      return null;
    }
    byte[] responseOpt = opt.of(query);
    if (known.template().length() + responseOpt.length > limit) {
      return null; // the chain truncates it
    }
    if (!admits(client.getAddress())) {
      return null;
    }
    primeIfDue.run();
    ByteBuf answer = known.template().render(query, responseOpt, limit, alloc, known.age(now));
    metrics.request(transport, query.type());
    answers.counted(known);
    // The OPT appended here never carries an extended rcode: the template's rcode is the response's.
    metrics.response(known.rcode(), System.nanoTime() - start);
    return answer;
  }

  /** Whether the ACL and both limits let {@code address} have this answer (taking a rate token). */
  private boolean admits(InetAddress address) {
    if (address.equals(unlimitedClient)) {
      return true;
    }
    if (!acl.allows(address)) {
      return false;
    }
    if (!rateLimit.limits(address) && !outstanding.limits(address)) {
      unlimitedClient = address;
      return true;
    }
    // The rate limit last: once its token is taken, this query is answered here.
    return outstanding.admitsAnother(address) && rateLimit.admits(address);
  }
}
