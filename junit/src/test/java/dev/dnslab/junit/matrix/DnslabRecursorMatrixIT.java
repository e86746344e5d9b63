package dev.dnslab.junit.matrix;

import java.util.Map;

/** dnslab's own recursor over every shipped scenario, held to the same checks as the others. */
class DnslabRecursorMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver() {
    return new DnslabRecursor();
  }

  @Override
  boolean available() {
    return true;
  }

  @Override
  Map<String, String> knownDeviations() {
    return Map.of("drop",
        "answers SERVFAIL after one 1 s upstream timeout when the zone's only server drops the query,"
            + " instead of retransmitting (RFC 1035 4.2.1); fix in the recursor, then remove this entry");
  }
}
