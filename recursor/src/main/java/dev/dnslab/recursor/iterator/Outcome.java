package dev.dnslab.recursor.iterator;

import java.util.List;
import org.xbill.DNS.Record;

/**
 * How a resolution ended: the rcode, the answer section (CNAMEs first, then the data), the
 * authority section (the SOA of a negative answer) and, for SERVFAIL, why.
 */
public record Outcome(int rcode, List<Record> answer, List<Record> authority, String failure, boolean fromCache) {
  public Outcome {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
  }
}
