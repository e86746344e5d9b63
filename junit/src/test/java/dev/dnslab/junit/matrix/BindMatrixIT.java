package dev.dnslab.junit.matrix;

import dev.dnslab.testing.Tool;
import java.util.List;
import java.util.Map;

/** Debian's BIND (named) over every shipped scenario. */
class BindMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver(boolean validating) {
    return new Bind(validating);
  }

  @Override
  List<Tool> requiredTools() {
    return List.of(Tool.NAMED, Tool.PORT_53);
  }

  @Override
  Map<String, String> knownDeviations() {
    return Map.of("ns-cycle",
        "asks com for cycle-a.com. NS and ns1.cycle-b.com. A, then sends nothing more and gives no answer within"
            + " the 10 s the check allows (Debian's BIND 9.18, run 2026-12-03); Unbound, Knot Resolver, PowerDNS"
            + " Recursor and dnslab answer SERVFAIL at once");
  }
}
