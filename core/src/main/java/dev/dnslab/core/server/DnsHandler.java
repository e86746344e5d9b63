package dev.dnslab.core.server;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * One step of the request path. A handler either answers the request itself or passes it on with
 * {@code next.proceed(request)}, optionally looking at (or amending) the response on its way back.
 *
 * <p>Handlers must not block the calling thread: authority lookups complete immediately, and
 * anything that waits on the network (the recursor) returns a stage that completes later.
 */
@FunctionalInterface
public interface DnsHandler {
  CompletionStage<Message> handle(DnsRequest request, DnsChain next);
}
