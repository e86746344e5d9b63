package dev.dnslab.recursor.admin;

import static dev.dnslab.core.admin.QueryParameters.first;
import static java.util.Objects.requireNonNull;

import dev.dnslab.core.admin.AdminResponse;
import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.cache.CacheRoutes;
import dev.dnslab.recursor.iterator.Resolver;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The recursor's admin paths: core's {@code /cache} and {@code /cache/flush} ({@link CacheRoutes})
 * and {@code /trace?name=&type=} (a resolution with the cache bypassed, every step recorded).
 */
public final class RecursorAdminRoutes {
  private final Resolver resolver;

  public RecursorAdminRoutes(Resolver resolver) {
    this.resolver = requireNonNull(resolver, "resolver");
  }

  public AdminServer.Builder addTo(AdminServer.Builder admin) {
    return new CacheRoutes(resolver.cache()).addTo(admin)
        .route("/trace", (request, query) -> trace(query));
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

  private static CompletionStage<AdminResponse> done(AdminResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
