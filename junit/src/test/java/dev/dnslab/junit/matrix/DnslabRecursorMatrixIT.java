package dev.dnslab.junit.matrix;

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

}
