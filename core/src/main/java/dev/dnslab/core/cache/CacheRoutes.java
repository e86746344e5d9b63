package dev.dnslab.core.cache;

import static dev.dnslab.core.admin.QueryParameters.first;
import static java.util.Objects.requireNonNull;

import dev.dnslab.core.admin.AdminResponse;
import dev.dnslab.core.admin.AdminServer;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The admin paths of a role that holds a {@link RecordCache}: {@code GET /cache} (JSON, {@code
 * ?format=text} for commented zone-file text, see {@link CacheView}) and {@code POST /cache/flush}
 * ({@code ?name=} forgets one name, none forgets everything), telling a {@link CacheFlushListener}
 * so the role forgets what it keeps beside the cache too; the answer counts what went.
 *
 * <pre>{@code
 * new CacheRoutes(cache).addTo(AdminServer.builder().listen(admin).metrics(registry)).build().start();
 * }</pre>
 */
public final class CacheRoutes {
  private final RecordCache cache;
  private final CacheFlushListener alsoFlush;
  /**
   * Where a dump is rendered: not on the admin server's loop, which the router and the recursor
   * share with their DNS answers, since a full cache (--cache-size 100,000 entries) takes a while to
   * walk and write out and the loop's answers would wait for it. The cache is read concurrently by
   * its loops anyway; a dump is a moment's view, as before.
   */
  private final Executor dumps;

  public CacheRoutes(RecordCache cache) {
    this(cache, CacheFlushListener.NONE);
  }

  public CacheRoutes(RecordCache cache, CacheFlushListener alsoFlush) {
    // supplyAsync's own default: the common pool, or a thread per dump where that pool has one
    // worker (two cores), so a dump never waits behind another role's task in the same JVM.
    this(cache, alsoFlush, new CompletableFuture<Void>().defaultExecutor());
  }

  CacheRoutes(RecordCache cache, CacheFlushListener alsoFlush, Executor dumps) {
    this.cache = requireNonNull(cache, "cache");
    this.alsoFlush = requireNonNull(alsoFlush, "alsoFlush");
    this.dumps = requireNonNull(dumps, "dumps");
  }

  public AdminServer.Builder addTo(AdminServer.Builder admin) {
    return admin
        .route("/cache", (request, query) -> CompletableFuture.supplyAsync(
            () -> "text".equals(first(query, "format"))
                ? AdminResponse.ok(CacheView.text(cache))
                : AdminResponse.json(CacheView.json(cache)),
            dumps))
        .route("/cache/flush", (request, query) -> CompletableFuture.completedFuture(
            HttpMethod.POST.equals(request.method()) || HttpMethod.DELETE.equals(request.method())
                ? flush(first(query, "name"))
                : AdminResponse.text(405, "use POST /cache/flush[?name=NAME]\n")));
  }

  private AdminResponse flush(String name) {
    Map<String, Object> result = new LinkedHashMap<>();
    if (name == null) {
      result.put("flushed", "all");
      result.put("entries", cache.flushAll());
      result.putAll(alsoFlush.flushedAll());
      return AdminResponse.json(result);
    }
    try {
      Name parsed = Name.fromString(name, Name.root);
      result.put("flushed", parsed.toString());
      result.put("entries", cache.flush(parsed));
      result.putAll(alsoFlush.flushed(parsed));
      return AdminResponse.json(result);
    } catch (TextParseException e) {
      return AdminResponse.text(400, "name: " + name + " (" + e.getMessage() + ")\n");
    }
  }
}
