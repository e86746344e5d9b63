package dev.dnslab.junit.matrix;

/** Debian's BIND (named) over every shipped scenario. */
class BindMatrixIT extends ResolverMatrix {
  @Override
  ResolverUnderTest newResolver() {
    return new Bind();
  }

  @Override
  boolean available() {
    return installed(Bind.BINARY);
  }
}
