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
}
