package dev.dnslab.junit.matrix;

import dev.dnslab.testing.Tool;
import java.util.List;

/** Debian's Unbound over every shipped scenario. */
class UnboundMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver(boolean validating) {
    return new Unbound(validating);
  }

  @Override
  List<Tool> requiredTools() {
    return List.of(Tool.UNBOUND, Tool.PORT_53);
  }
}
