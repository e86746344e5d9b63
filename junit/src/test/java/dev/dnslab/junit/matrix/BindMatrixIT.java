package dev.dnslab.junit.matrix;

import dev.dnslab.testing.Tool;
import java.util.List;

/** Debian's BIND (named) over every shipped scenario. */
class BindMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver() {
    return new Bind();
  }

  @Override
  List<Tool> requiredTools() {
    return List.of(Tool.NAMED, Tool.PORT_53);
  }
}
