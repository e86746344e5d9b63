package dev.dnslab.junit.matrix;

import dev.dnslab.testing.Tool;
import java.util.List;

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
}
