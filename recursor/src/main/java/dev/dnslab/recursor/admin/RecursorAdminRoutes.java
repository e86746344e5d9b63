package dev.dnslab.recursor.admin;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.admin.AdminResponse;
import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.recursor.iterator.Resolver;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The recursor's admin paths: {@code /cache} (GET, {@code ?format=text} for text), {@code
 * /cache/flush} (POST, {@code ?name=} for one name, none for everything) and {@code
 * /trace?name=&type=} (a resolution with the cache bypassed, every step recorded).
 */
public final class RecursorAdminRoutes {
  private final Resolver resolver;

  public RecursorAdminRoutes(Resolver resolver) {
    this.resolver = requireNonNull(resolver, "resolver");
  }

  public AdminServer.Builder addTo(AdminServer.Builder admin) {
    return admin
        .route("/cache", (request, query) -> done(cache(query)))
        .route("/cache/flush", (request, query) -> {
          if (!HttpMethod.POST.equals(request.method()) && !HttpMethod.DELETE.equals(request.method())) {
            return done(AdminResponse.text(405, "use POST /cache/flush[?name=NAME]\n"));
          }
          return done(flush(query));
        })
        .route("/trace", (request, query) -> trace(query));
  }

  private AdminResponse cache(QueryStringDecoder query) {
    if ("text".equals(first(query, "format"))) {
      return AdminResponse.ok(CacheView.text(resolver.cache()));
    }
    return AdminResponse.json(CacheView.json(resolver.cache()));
  }

  private AdminResponse flush(QueryStringDecoder query) {
    String name = first(query, "name");
    Map<String, Object> result = new LinkedHashMap<>();
    if (name == null) {
      result.put("flushed", "all");
      result.put("entries", resolver.cache().flushAll());
      return AdminResponse.json(result);
    }
    try {
      Name parsed = Name.fromString(name, Name.root);
      result.put("flushed", parsed.toString());
      result.put("entries", resolver.cache().flush(parsed));
      return AdminResponse.json(result);
    } catch (TextParseException e) {
      return AdminResponse.text(400, "name: " + name + " (" + e.getMessage() + ")\n");
    }
  }

  private CompletionStage<AdminResponse> trace(QueryStringDecoder query) {
    String name = first(query, "name");
    String typeText = first(query, "type");
    if (name == null) {
      return done(AdminResponse.text(400, "usage: /trace?name=www.google.com&type=A\n"));
    }
    int type = typeText == null ? Type.A : Type.value(typeText.toUpperCase(java.util.Locale.ROOT));
    if (type < 0) {
      return done(AdminResponse.text(400, "type: " + typeText + " (expected: A, AAAA, MX, ...)\n"));
    }
    try {
      Name parsed = Name.fromString(name, Name.root);
      return resolver.trace(parsed, type).thenApply(AdminResponse::json);
    } catch (TextParseException e) {
      return done(AdminResponse.text(400, "name: " + name + " (" + e.getMessage() + ")\n"));
    }
  }

  private static String first(QueryStringDecoder query, String key) {
    List<String> values = query.parameters().get(key);
    return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
  }

  private static CompletionStage<AdminResponse> done(AdminResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
