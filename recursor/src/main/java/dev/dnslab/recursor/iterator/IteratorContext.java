package dev.dnslab.recursor.iterator;

import static java.util.Objects.requireNonNull;

import dev.dnslab.recursor.RecursorMetrics;
import dev.dnslab.recursor.upstream.UpstreamClient;

/**
 * What every {@link Resolution} of one {@link Resolver} shares, handed to each explicitly.
 *
 * @param cache the iterator's reads and writes of the record cache, and the root hints
 * @param client sends upstream queries
 * @param selector picks the server to ask and remembers round trips and 0x20 support
 * @param roles names servers (root, tld, authoritative) for metric tags
 * @param limits the caps of one client query
 * @param qnameMinimisation whether RFC 9156 is on
 * @param minimisedQueryType the QTYPE of a minimised query (RFC 9156 2.1)
 * @param upstreamPort the port every server is asked on
 * @param metrics the recursor's upstream and resolution meters
 * @param queries builds upstream queries
 * @param dnssec whether upstream queries carry DO and DNSSEC records are kept (validation on)
 * @param keyPrefetch fetches what the validator will need of a zone cut, at a referral
 */
record IteratorContext(
    IteratorCache cache,
    UpstreamClient client,
    ServerSelector selector,
    ServerRoleNamer roles,
    ResolutionLimits limits,
    boolean qnameMinimisation,
    MinimisedQueryType minimisedQueryType,
    int upstreamPort,
    RecursorMetrics metrics,
    UpstreamQueryBuilder queries,
    boolean dnssec,
    KeyPrefetch keyPrefetch) {
  IteratorContext {
    requireNonNull(cache, "cache");
    requireNonNull(client, "client");
    requireNonNull(selector, "selector");
    requireNonNull(roles, "roles");
    requireNonNull(limits, "limits");
    requireNonNull(minimisedQueryType, "minimisedQueryType");
    requireNonNull(metrics, "metrics");
    requireNonNull(queries, "queries");
    requireNonNull(keyPrefetch, "keyPrefetch");
  }
}
