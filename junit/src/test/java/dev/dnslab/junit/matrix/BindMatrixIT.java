package dev.dnslab.junit.matrix;

import dev.dnslab.testing.Tool;
import java.util.List;

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
}
