package dev.dnslab.recursor.iterator;

import java.util.List;
import org.xbill.DNS.Record;

/** The sections of a reply that survived the bailiwick check. */
public record ScrubbedReply(int rcode, boolean authoritative, List<Record> answer, List<Record> authority,
    List<Record> additional) {
  public ScrubbedReply {
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
    additional = List.copyOf(additional);
  }
}
