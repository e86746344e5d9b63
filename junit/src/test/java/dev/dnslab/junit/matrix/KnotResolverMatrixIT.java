package dev.dnslab.junit.matrix;

/** Debian's Knot Resolver (kresd) over every shipped scenario. */
class KnotResolverMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver() {
    return new KnotResolver();
  }

  @Override
  boolean available() {
    return installed(KnotResolver.BINARY);
  }
}
