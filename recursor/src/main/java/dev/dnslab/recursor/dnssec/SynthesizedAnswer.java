package dev.dnslab.recursor.dnssec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * A negative answer the {@link AggressiveNegativeCache} made from validated NSEC or NSEC3 records
 * (RFC 8198 4), for a question no authority was asked: NXDOMAIN, or NODATA (NOERROR, empty
 * answer). Secure by construction: every record in it was validated when it was learned.
 *
 * @param qname the question's name
 * @param qtype the question's type
 * @param rcode {@link Rcode#NXDOMAIN} or {@link Rcode#NOERROR} (NODATA)
 * @param zone the zone whose denial records prove it
 * @param denial "nsec" or "nsec3"
 * @param authority the SOA RRset first (its TTL is the negative TTL, RFC 2308 5), then the NSEC or
 *     NSEC3 RRsets of the proof, each with its RRSIGs and the TTL it has left
 * @param reason which records prove what, in words (for logs and {@code /trace})
 */
public record SynthesizedAnswer(
    Name qname, int qtype, int rcode, Name zone, String denial, List<RRset> authority, String reason) {
  public SynthesizedAnswer {
    requireNonNull(qname, "qname");
    requireNonNull(zone, "zone");
    requireNonNull(denial, "denial");
    requireNonNull(reason, "reason");
    authority = List.copyOf(authority);
  }

  /** RFC 8198 5.5 (4035 4.3): made only of validated records, so secure; the recursor may set AD. */
  public Verdict verdict() {
    return Verdict.secure(reason);
  }

  /** NXDOMAIN or NODATA, for the metric tag and logs. */
  public String kind() {
    return rcode == Rcode.NXDOMAIN ? "NXDOMAIN" : "NODATA";
  }

  /**
   * The authority section to send: with {@code dnssecOk} (the client set DO) the SOA, the proofs and
   * their RRSIGs; without it only the SOA (RFC 4035 3.2.1: no DNSSEC records for a client without DO).
   */
  public List<Record> authorityRecords(boolean dnssecOk) {
    List<Record> records = new ArrayList<>();
    for (RRset set : authority) {
      if (!dnssecOk && set != authority.get(0)) {
        break;
      }
      records.addAll(set.rrs(false));
      if (dnssecOk) {
        records.addAll(set.sigs());
      }
    }
    return records;
  }
}
