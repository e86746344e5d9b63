package dev.dnslab.recursor.iterator;

import org.xbill.DNS.Type;

/**
 * The QTYPE of a QNAME-minimised query (RFC 9156 2.1): the shortened name is asked with one of
 * the two types resolvers use. RFC 7816 asked NS, which is what the question means ("is there a
 * zone cut here?"); RFC 9156 moved to A, because some servers and middleboxes answer NS questions
 * for names that are not zone cuts badly, and an A question looks like any other traffic (Unbound
 * and Knot Resolver ask A, BIND asks A too since 9.18's relaxed mode). Servers that only handle one
 * of them are what the qmin-* scenarios script.
 */
public enum MinimisedQueryType {
  /** RFC 9156 2.1's choice and the default. */
  A(Type.A),
  /** RFC 7816's choice: an NS question, answered by a referral where a cut is. */
  NS(Type.NS);

  private final int type;

  MinimisedQueryType(int type) {
    this.type = type;
  }

  /** The QTYPE sent. */
  public int type() {
    return type;
  }
}
