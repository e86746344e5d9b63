package dev.dnslab.recursor.admin;

import static dev.dnslab.core.admin.QueryParameters.first;
import static java.util.Objects.requireNonNull;

import dev.dnslab.core.admin.AdminResponse;
import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.cache.CacheRoutes;
import dev.dnslab.recursor.handler.LocallyServedZones;
import dev.dnslab.recursor.iterator.Resolver;
import dev.dnslab.recursor.trace.Trace;
import dev.dnslab.recursor.trace.TraceStep;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The recursor's admin paths: core's {@code /cache} and {@code /cache/flush} ({@link CacheRoutes},
 * which also forgets the DNSSEC verdicts, keys and proofs: {@link Resolver#validationFlush()})
 * and {@code /trace?name=&type=} (a resolution with the cache bypassed, every step recorded; for a
 * locally served name, RFC 6761/6303, the local answer and no steps).
 */
public final class RecursorAdminRoutes {
  private final Resolver resolver;

  public RecursorAdminRoutes(Resolver resolver) {
    this.resolver = requireNonNull(resolver, "resolver");
  }

  public AdminServer.Builder addTo(AdminServer.Builder admin) {
    return new CacheRoutes(resolver.cache(), resolver.validationFlush()).addTo(admin)
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
      LocallyServedZones.LocalAnswer local = LocallyServedZones.answer(parsed, type);
      if (local != null) {
        // The recursor's chain answers these before the resolver sees them: no walk to show.
        return done(AdminResponse.json(localTrace(parsed, type, local)));
      }
      return resolver.trace(parsed, type).thenApply(AdminResponse::json);
    } catch (TextParseException e) {
      return done(AdminResponse.text(400, "name: " + name + " (" + e.getMessage() + ")\n"));
    }
  }

  private Trace localTrace(Name name, int type, LocallyServedZones.LocalAnswer local) {
    return new Trace(
        new TraceStep.Question(name.toString(), Type.string(type)),
        resolver.qnameMinimisation(),
        Rcode.string(local.rcode()),
        local.answer().stream().map(Record::toString).toList(),
        local.authority().stream().map(Record::toString).toList(),
        null,
        LocallyServedZones.ANSWERED_LOCALLY + " (zone " + local.zone() + ")",
        0,
        0,
        List.of(),
        resolver.priming());
  }

  private static CompletionStage<AdminResponse> done(AdminResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
