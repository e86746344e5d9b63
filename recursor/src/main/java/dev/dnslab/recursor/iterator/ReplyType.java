package dev.dnslab.recursor.iterator;

/**
 * What an upstream reply means, decided before the recursor acts on it (Unbound's {@code
 * iter_resptype.h}).
 */
public enum ReplyType {
  /** The records asked for (possibly after CNAMEs inside the server's zone). */
  ANSWER,
  /** "Ask those servers instead": NS records for a zone below the one we asked (RFC 1034 4.3.2 3b). */
  REFERRAL,
  /** A CNAME whose target the server could not follow: restart with the target. */
  CNAME,
  /** The name does not exist (RFC 1035 4.1.1 rcode 3, RFC 2308 2.1). */
  NXDOMAIN,
  /** The name exists but has no data of the type asked (RFC 2308 2.2). */
  NODATA,
  /** A DNAME would make the name longer than 255 octets (RFC 6672 2.2): the DNAME is the answer. */
  YXDOMAIN,
  /** The server is not authoritative for the zone we asked it about (REFUSED, upward referral). */
  LAME,
  /** Unusable (SERVFAIL, FORMERR, an answer that does not answer): try another server. */
  THROWAWAY
}
