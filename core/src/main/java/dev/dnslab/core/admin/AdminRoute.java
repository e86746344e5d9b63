package dev.dnslab.core.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.CompletionStage;

/** One path on the admin port. Routes may complete later (e.g. a trace that resolves a name). */
@FunctionalInterface
public interface AdminRoute {
  CompletionStage<AdminResponse> handle(FullHttpRequest request, QueryStringDecoder query);
}
