package dev.dnslab.junit.matrix;

import dev.dnslab.testing.Tool;
import java.util.List;
import java.util.Map;

/** Debian's Knot Resolver (kresd) over every shipped scenario. */
class KnotResolverMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver(boolean validating) {
    return new KnotResolver(validating);
  }

  @Override
  List<Tool> requiredTools() {
    return List.of(Tool.KRESD, Tool.PORT_53);
  }

  @Override
  Map<String, String> knownDeviations() {
    return Map.of("dname-forged-cname",
        "follows the CNAME the server sent below the DNAME without checking it against the DNAME (RFC 6672"
            + " 3.2): it asks for forged.example. and answers NXDOMAIN (Debian's Knot Resolver 5.6, run 2026-12-03);"
            + " Unbound, BIND, PowerDNS Recursor and dnslab answer with www.naver.com's address");
  }

  @Override
  Map<String, String> intermittentServfail() {
    // kresd 5.6's server selection (lib/selection.c) explores 1 time in 20 and then picks at random
    // between the glued ns2.exit-a.com and resolving the unglued ns1.exit-b.com; that sub-query meets
    // the cycle (ns1.exit-a.com is already in its plan), finds no server, and kresd ends the whole
    // request with SERVFAIL instead of falling back to the glued server (lib/resolve.c). It caches no
    // failure: asked again, it chooses again.
    return Map.of("ns-cycle-way-out",
        "SERVFAIL for www.exit-b.com in about 1 of 40 tries (Debian's Knot Resolver 5.6.0, 2026-12-07: 69 of"
            + " 2,600 fresh resolvers' first tries, 2 of their 69 second tries, none of 2 third tries)");
  }
}
