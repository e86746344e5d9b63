package dev.dnslab.core.wire;

import java.util.Arrays;
import org.xbill.DNS.Name;

/** Names compared as spelled: {@code Name.equals} ignores letter case (RFC 4343), the wire form keeps it. */
public final class NameSpelling {
  private NameSpelling() {}

  /** Whether {@code a} and {@code b} are the same name in the same letter case, byte for byte. */
  public static boolean same(Name a, Name b) {
    return a == b || Arrays.equals(a.toWire(), b.toWire());
  }

  /**
   * Whether {@code name} has no upper-case letter. Name.canonicalize gives the name itself then,
   * else a lower-cased copy: nothing is copied for a lower-case name, the usual spelling.
   */
  public static boolean isLowerCase(Name name) {
    return name.canonicalize() == name;
  }
}
