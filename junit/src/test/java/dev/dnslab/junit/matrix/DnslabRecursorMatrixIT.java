package dev.dnslab.junit.matrix;

import dev.dnslab.testing.Tool;
import java.util.List;

/**
 * dnslab's own recursor over every shipped scenario, held to the same checks as the others. It can
 * ask upstream on any port, so without root the lab and the recursor move to free high ports
 * instead of skipping.
 */
class DnslabRecursorMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver() {
    return new DnslabRecursor();
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
