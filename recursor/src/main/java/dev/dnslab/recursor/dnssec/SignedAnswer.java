package dev.dnslab.recursor.dnssec;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Section;

/**
 * A response as the validator sees it: the sections as dnsjava RRsets, each carrying its RRSIGs
 * ({@link RRset#sigs()}). {@code authority} holds the SOA, NSEC and NSEC3 (and their RRSIGs) of
 * negative answers and the DS/NS of referrals. {@code server} is who answered, for EXTRA-TEXT; null
 * when it came from a cache.
 */
public record SignedAnswer(Name qname, int qtype, int rcode, List<RRset> answer, List<RRset> authority, String server) {
  public SignedAnswer {
    requireNonNull(qname, "qname");
    answer = List.copyOf(answer);
    authority = List.copyOf(authority);
  }

  /** The answer and authority sections of a response, its question and rcode. */
  public static SignedAnswer of(Message response, String server) {
    return new SignedAnswer(response.getQuestion().getName(), response.getQuestion().getType(),
        response.getRcode(), response.getSectionRRsets(Section.ANSWER),
        response.getSectionRRsets(Section.AUTHORITY), server);
  }
}
