package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * A handler that makes one thing go wrong on purpose for the queries its {@link QueryMatch} selects
 * and passes every other query on untouched. Installed as an authority interceptor, after EDNS and
 * before the zone lookup, so the zone data stays as written and only the exchange misbehaves.
 */
public abstract class FaultHandler implements DnsHandler {
  /** The sections that hold RRsets, all but the question: what a fault rewriting records walks. */
  static final List<Integer> RRSET_SECTIONS = List.of(Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL);

  private final String name;
  private final QueryMatch match;
  private final FaultListener listener;

  protected FaultHandler(String name, QueryMatch match, FaultListener listener) {
    this.name = requireNonNull(name, "name");
    this.match = requireNonNull(match, "match");
    this.listener = requireNonNull(listener, "listener");
  }

  @Override
  public final CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    if (!match.matches(request) || !appliesTo(request)) {
      return next.proceed(request);
    }
    listener.injected(request, name);
    return inject(request, next);
  }

  /**
   * Gets ready to answer: called once by its server as it starts, after the zones are loaded (and
   * signed) and before any query, off the event loops. A fault that needs slow work done before
   * it can answer (a key pair to make) does it here, so the first query it affects waits for
   * nothing. Nothing by default.
   */
  public void arm() {}

  /** Further selection after the match (transport, chance); every matched query by default. */
  protected boolean appliesTo(DnsRequest request) {
    return true;
  }

  /** The misbehaving exchange for one selected query. */
  protected abstract CompletionStage<Message> inject(DnsRequest request, DnsChain next);

  /**
   * A stage that never completes: the server stays silent, as if the packet was lost. Nothing holds
   * it, so it is garbage once the chain lets go; a TCP connection waits for the idle timeout.
   */
  protected static CompletionStage<Message> silence() {
    return new CompletableFuture<>();
  }

  /** The fault's name as scenarios write it. */
  public String name() {
    return name;
  }

  public QueryMatch match() {
    return match;
  }

  @Override
  public String toString() {
    return name + " for " + match;
  }
}
