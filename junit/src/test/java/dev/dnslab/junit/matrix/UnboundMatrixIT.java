package dev.dnslab.junit.matrix;

/** Debian's Unbound over every shipped scenario. */
class UnboundMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver() {
    return new Unbound();
  }

  @Override
  boolean available() {
    return installed(Unbound.BINARY);
  }
}
