package dev.dnslab.core.probe;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.client.DnsQuestion;
import dev.dnslab.core.probe.DnsProbe.Expect;
import dev.dnslab.core.transport.EventLoops;
import dev.dnslab.core.wire.ResponseSizeLimit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A DNS role's admin {@code /health} verdict that proves the role works, not only that its process
 * runs: the role asks itself one real question over its own DNS socket, as a client would, and
 * judges the reply like {@link HealthProbe}'s {@code dns} probe. So a container health check can be
 * a plain HTTP GET of {@code /health} (docker/health.sh, no JVM per check) and still mean "answers".
 * The question leaves from a socket on the role's own event loops ({@link DnsQuestion}), so the
 * check adds no thread to the role.
 *
 * <p>A good verdict holds for {@link #HEALTHY_FOR}: a check every few seconds then costs one query
 * per half minute, which barely shows in the query log and the metrics. A bad verdict is never
 * kept, so the next check asks again. Completes with null when healthy, else with the reason.
 */
public final class DnsSelfCheck implements Supplier<CompletionStage<String>> {
  /** How long a good answer stands for the role's health before it is asked again. */
  static final Duration HEALTHY_FOR = Duration.ofSeconds(30);

  /** Longer than any healthy local answer, shorter than Docker's 5 s health check timeout. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final EventLoops loops;
  private final Supplier<InetSocketAddress> server;
  private final Supplier<Optional<Name>> name;
  private final int type;
  private final boolean recurse;
  private final Expect expect;
  private long healthyUntilNanos;
  private boolean healthy;
  private CompletableFuture<String> asking;

  private DnsSelfCheck(
      EventLoops loops, Supplier<InetSocketAddress> server, Supplier<Optional<Name>> name, int type, boolean recurse, Expect expect) {
    this.loops = requireNonNull(loops, "loops");
    this.server = requireNonNull(server, "server");
    this.name = requireNonNull(name, "name");
    this.type = type;
    this.recurse = recurse;
    this.expect = requireNonNull(expect, "expect");
  }

  /**
   * An authority (root, TLD, authoritative server): the SOA of its zone {@code apex}, without
   * recursion, must come back in the answer section, from its own data (RFC 1034 4.3.2 step 3a).
   */
  public static DnsSelfCheck authority(EventLoops loops, Supplier<InetSocketAddress> server, Supplier<Optional<Name>> apex) {
    return new DnsSelfCheck(loops, server, apex, Type.SOA, false, Expect.ANSWER);
  }

  /**
   * A recursive resolver: the root zone's SOA with RD set must be answered, which a resolver with
   * an empty cache can only do by asking the root server of its hints (RFC 1034 5.3.3).
   */
  public static DnsSelfCheck resolver(EventLoops loops, Supplier<InetSocketAddress> server) {
    return new DnsSelfCheck(loops, server, () -> Optional.of(Name.root), Type.SOA, true, Expect.ANSWER);
  }

  /**
   * A forwarder (the router cache): the root zone's SOA with RD set must come back resolved
   * (NOERROR or NXDOMAIN), which it can only give once its upstream answered; SERVFAIL means not.
   */
  public static DnsSelfCheck forwarder(EventLoops loops, Supplier<InetSocketAddress> server) {
    return new DnsSelfCheck(loops, server, () -> Optional.of(Name.root), Type.SOA, true, Expect.RESOLVED);
  }

  @Override
  public synchronized CompletionStage<String> get() {
    if (healthy && System.nanoTime() - healthyUntilNanos < 0) {
      return CompletableFuture.completedFuture(null);
    }
    if (asking != null) {
      return asking;
    }
    CompletableFuture<String> verdict = ask().toCompletableFuture();
    asking = verdict;
    // May run at once (nothing to ask), which clears asking again: return the local.
    verdict.whenComplete((problem, failure) -> remember(problem));
    return verdict;
  }

  private synchronized void remember(String problem) {
    asking = null;
    healthy = problem == null;
    healthyUntilNanos = System.nanoTime() + HEALTHY_FOR.toNanos();
  }

  private CompletionStage<String> ask() {
    Optional<Name> qname;
    InetSocketAddress target;
    try {
      qname = name.get();
      target = reachable(server.get());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture("not serving: " + e.getMessage());
    }
    if (qname.isEmpty()) {
      return CompletableFuture.completedFuture("nothing to ask: no zone loaded");
    }
    Message query = Message.newQuery(Record.newRecord(qname.get(), type, DClass.IN));
    if (!recurse) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    // EDNS as a client asks (and as SimpleResolver asked): a reply of up to 1232 bytes fits.
    query.addRecord(new OPTRecord(ResponseSizeLimit.DEFAULT_EDNS_UDP, 0, 0), Section.ADDITIONAL);
    String question = qname.get() + " " + Type.string(type) + " @" + target.getAddress().getHostAddress() + ":" + target.getPort();
    return DnsQuestion.ask(loops, target, query, TIMEOUT)
        .handle(
            (reply, failure) -> {
              if (failure != null) {
                return "no reply to " + question + ": " + failure;
              }
              String problem = expect.judge(reply, type);
              return problem == null ? null : problem + " for " + question + ": " + DnsProbe.summary(reply);
            });
  }

  /** A server bound to the wildcard address is asked on loopback, where it listens too. */
  private static InetSocketAddress reachable(InetSocketAddress bound) {
    InetAddress address = bound.getAddress();
    if (address == null || address.isAnyLocalAddress()) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort());
    }
    return bound;
  }
}
