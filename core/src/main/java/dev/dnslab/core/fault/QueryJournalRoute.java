package dev.dnslab.core.fault;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.admin.AdminResponse;
import dev.dnslab.core.admin.AdminRoute;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /journal} on an admin port: every recorded query and injected fault, one dig-like line
 * each ({@code query authoritative-ns udp 127.0.0.1#4711 wWw.GooGle.com. A id=1 edns=1232}); {@code
 * POST /journal} clears it, e.g. between two runs of a resolver under test.
 */
public final class QueryJournalRoute implements AdminRoute {
  private final QueryJournal journal;

  public QueryJournalRoute(QueryJournal journal) {
    this.journal = requireNonNull(journal, "journal");
  }

  @Override
  public CompletionStage<AdminResponse> handle(FullHttpRequest request, QueryStringDecoder query) {
    if (HttpMethod.POST.equals(request.method())) {
      journal.clear();
      return CompletableFuture.completedFuture(AdminResponse.ok("cleared\n"));
    }
    return CompletableFuture.completedFuture(AdminResponse.ok(journal.dump()));
  }
}
