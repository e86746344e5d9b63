package dev.dnslab.recursor.trace;

/**
 * What one traced exchange came to, written into {@link TraceStep#reply()} by its name (the /trace
 * JSON documents these names). The first eight are the reply's classification, one per {@code
 * iterator.ReplyType}; the last four say why there was no usable reply to classify.
 */
public enum TraceOutcome {
  ANSWER,
  REFERRAL,
  CNAME,
  NXDOMAIN,
  NODATA,
  /** A DNAME made the name too long (RFC 6672 2.2): the client gets YXDOMAIN with the DNAME. */
  YXDOMAIN,
  LAME,
  /** Also a reply that lost the query's 0x20 letter case: the same server is asked without it. */
  THROWAWAY,
  /** TC set on a UDP reply: the same server is asked over TCP (RFC 7766). */
  TRUNCATED,
  /** No reply within the upstream timeout. */
  TIMEOUT,
  /** The UpstreamPolicy refused to send to the address. */
  BLOCKED,
  /** The query could not be sent or the reply not read. */
  ERROR
}
