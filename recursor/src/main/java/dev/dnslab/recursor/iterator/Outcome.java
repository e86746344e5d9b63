package dev.dnslab.recursor.iterator;

import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * How a resolution ended: the rcode, the answer section (CNAMEs first, then the data), the
 * authority section (the SOA of a negative answer), for SERVFAIL why, whether it came from the
 * cache, whether it is a stale answer (RFC 8767) because no authority answered, and the Extended
 * DNS Error (RFC 8914) to send with a failure, or null.
 */
public record Outcome(
    int rcode, List<Record> answer, List<Record> authority, String failure, boolean fromCache, boolean stale,
    ExtendedError extendedError) {
  public Outcome {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
  }

  public Outcome(int rcode, List<Record> answer, List<Record> authority, String failure, boolean fromCache) {
    this(rcode, answer, authority, failure, fromCache, false, null);
  }

  public Outcome(
      int rcode, List<Record> answer, List<Record> authority, String failure, boolean fromCache, boolean stale) {
    this(rcode, answer, authority, failure, fromCache, stale, null);
  }

  /** A stale answer (RFC 8767): data kept past its TTL, served because no authority answered. */
  static Outcome stale(List<Record> answer) {
    return new Outcome(Rcode.NOERROR, answer, List.of(), null, true, true);
  }
}
