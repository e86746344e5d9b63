package dev.dnslab.core.server;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * An ordered, immutable list of {@link DnsHandler}s. A request enters at the first handler; a
 * request that no handler answers is REFUSED (RFC 8906 3.1.4: a server that is not authoritative
 * and does not recurse refuses). A handler that throws or fails its stage yields SERVFAIL for that
 * query, never a dead server.
 */
public final class HandlerChain {
  private static final Logger log = LoggerFactory.getLogger(HandlerChain.class);

  private final List<DnsHandler> handlers;
  // The continuation after each handler, made once rather than as a new lambda per query and step.
  private final DnsChain[] continuations;

  public HandlerChain(List<DnsHandler> handlers) {
    this.handlers = List.copyOf(requireNonNull(handlers, "handlers"));
    this.continuations = new DnsChain[this.handlers.size()];
    for (int i = 0; i < continuations.length; i++) {
      int following = i + 1;
      continuations[i] = next -> step(following, next);
    }
  }

  public static HandlerChain of(DnsHandler... handlers) {
    return new HandlerChain(List.of(handlers));
  }

  public List<DnsHandler> handlers() {
    return handlers;
  }

  /** Runs the chain for one request; the returned stage never completes exceptionally. */
  public CompletionStage<Message> handle(DnsRequest request) {
    CompletionStage<Message> response = start(request);
    if (ReadyStage.valueOrNull(response) != null) {
      return response;
    }
    return response.exceptionally(failure -> failed(request, failure));
  }

  /**
   * Runs the chain for one request, leaving a failure in the returned stage for the caller to turn
   * into {@link #failed}: so that {@link QueryProcessor} answers a failure in the same stage that
   * encodes the response, rather than chain one more stage per query only to catch it.
   */
  CompletionStage<Message> start(DnsRequest request) {
    return step(0, request);
  }

  /** The answer to a request whose handler threw or failed its stage. */
  static Message failed(DnsRequest request, Throwable failure) {
    log.warn("handler failed for {}", request, failure);
    return request.newResponse(Rcode.SERVFAIL);
  }

  private CompletionStage<Message> step(int index, DnsRequest request) {
    if (index == handlers.size()) {
      return CompletableFuture.completedFuture(request.newResponse(Rcode.REFUSED));
    }
    try {
      return handlers.get(index).handle(request, continuations[index]);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
