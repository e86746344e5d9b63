package dev.dnslab.core.wire;

/**
 * The lengths of the two parts of a COOKIE option's data (RFC 7873 4): the client cookie is always
 * 8 bytes; a server cookie may be 8 to 32 (RFC 7873 4.2), and the one method there is, version 1 of
 * RFC 9018 4, makes them 16. Declared here, in the package that reads a query's bytes, so that the
 * reader, the cookie package and the answer shortcuts share one pair of numbers while dependencies
 * keep pointing one way (cookie and handler read wire; wire reads neither).
 */
public final class CookieLengths {
  /** RFC 7873 4.1: a client cookie is 8 bytes. */
  public static final int CLIENT = 8;

  /** RFC 9018 4: a version 1 server cookie (version, reserved, timestamp, hash) is 16 bytes. */
  public static final int SERVER = 16;

  private CookieLengths() {}
}
