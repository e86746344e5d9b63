package dev.dnslab.junit.matrix;

import dev.dnslab.testing.Tool;
import java.util.List;

/**
 * dnslab's own recursor over every shipped scenario, held to the same checks as the others: the
 * DNSSEC ones validating from the lab's trust anchor, like Unbound, Knot Resolver, BIND and PowerDNS
 * Recursor. It can ask upstream on any port, so without root the lab and the recursor move to free
 * high ports instead of skipping.
 */
class DnslabRecursorMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver(boolean validating) {
    return new DnslabRecursor(validating);
  }

  @Override
  List<Tool> requiredTools() {
    return List.of();
  }

  @Override
  int labPort() {
    return Tool.PORT_53.isPresent() ? 53 : 0;
  }
}
