package dev.dnslab.recursor.iterator;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Sorts a scrubbed reply into a {@link ReplyType} (Unbound's {@code iter_resptype.c}), so the
 * iterator acts on what a reply means rather than on its raw sections.
 */
public final class ReplyClassifier {
  private ReplyClassifier() {}

  public static Classification classify(ScrubbedReply reply, Name asked, int askedType, Name zone) {
    int rcode = reply.rcode();
    if (rcode == Rcode.REFUSED || rcode == Rcode.NOTAUTH) {
      return new Classification.Lame(Rcode.string(rcode) + ": not authoritative for " + zone);
    }
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN && rcode != Rcode.YXDOMAIN) {
      return new Classification.Throwaway("rcode " + Rcode.string(rcode));
    }

    // Follow the answer section from the asked name: CNAMEs (each DNAME with the CNAME derived
    // from it, RFC 6672 3.1), then the data (RFC 1034 4.3.2 3a).
    List<Record> chain = new ArrayList<>();
    Name current = asked;
    boolean answered = false;
    for (int step = 0; step <= ResolutionLimits.MAX_CHAIN_IN_REPLY; step++) {
      DNAMERecord dname = DnameRedirect.above(reply.answer(), current);
      if (dname != null) {
        // RFC 6672 2.3, 3.2: below a DNAME's owner nothing has data of its own, and the DNAME,
        // not the server's CNAME, decides where the name leads.
        CNAMERecord own = DnameRedirect.synthesise(current, dname);
        if (own == null) {
          break;
        }
        chain.add(dname);
        chain.add(own);
        if (askedType == Type.CNAME || askedType == Type.ANY) {
          answered = true; // the CNAME is the answer (RFC 1034 3.6.2)
          break;
        }
        current = own.getTarget();
        continue;
      }
      List<Record> data = owned(reply.answer(), current, askedType);
      if (!data.isEmpty()) {
        chain.addAll(data);
        answered = true;
        break;
      }
      // A CNAME is the answer, not a link, when CNAME or ANY was asked (RFC 1034 3.6.2).
      boolean cnameIsData = askedType == Type.CNAME || askedType == Type.ANY;
      List<Record> cname = cnameIsData ? List.of() : owned(reply.answer(), current, Type.CNAME);
      if (cname.isEmpty()) {
        break;
      }
      chain.add(cname.get(0));
      current = ((CNAMERecord) cname.get(0)).getTarget();
    }
    // RFC 4035 3.1.3: the SOA's RRSIGs and the NSEC/NSEC3 proofs of a denial (the scrubber kept
    // only those, and only in bailiwick); in a referral, the DS RRset or the proof of its absence.
    List<Record> authorityDnssec = dnssecRecords(reply.authority());
    if (rcode == Rcode.YXDOMAIN) {
      return tooLong(reply, chain, current, authorityDnssec);
    }
    SOARecord soa = soa(reply.authority(), current);
    List<Record> signatures = signaturesOver(reply.answer(), chain);
    if (answered) {
      return new Classification.Answer(chain, current, signatures, authorityDnssec);
    }
    if (!chain.isEmpty() && !current.subdomain(zone)) {
      // RFC 6604 3: the rcode is about the chain's last name; when a CNAME or DNAME led out of the
      // zone asked about, that name's SOA and NSEC/NSEC3 proofs were scrubbed as out of bailiwick,
      // so its NXDOMAIN is neither to be trusted nor validated (RFC 6672 5.3.1): ask its own
      // servers, as Unbound's scrubber does when it turns such an NXDOMAIN into NOERROR.
      return new Classification.Cname(chain, current, signatures, authorityDnssec);
    }
    if (rcode == Rcode.NXDOMAIN) {
      // RFC 6604 3: after a CNAME chain the rcode is about the last name.
      return new Classification.NxDomain(chain, current, soa, signatures, authorityDnssec);
    }
    if (!chain.isEmpty() && soa == null) {
      return new Classification.Cname(chain, current, signatures, authorityDnssec);
    }
    if (!reply.answer().isEmpty() && chain.isEmpty()) {
      return new Classification.Throwaway("answer section does not answer " + asked);
    }

    List<Record> nameServers = new ArrayList<>();
    Name cut = null;
    for (Record record : reply.authority()) {
      if (record.getType() == Type.NS && current.subdomain(record.getName())) {
        if (cut == null || record.getName().equals(cut)) {
          cut = record.getName();
          nameServers.add(record);
        }
      }
    }
    if (cut != null && soa == null) {
      if (cut.subdomain(zone) && !cut.equals(zone)) {
        return new Classification.Referral(cut, nameServers, reply.additional(), authorityDnssec);
      }
      if (!reply.authoritative()) {
        // An "upward" referral: the server does not serve the zone we asked it about.
        return new Classification.Lame("referral to " + cut + " does not lead below " + zone);
      }
    }
    if (soa != null || reply.authoritative()) {
      // RFC 2308 2.2: NOERROR, no data, the SOA of the zone in authority.
      return new Classification.NoData(chain, current, soa, signatures, authorityDnssec);
    }
    return new Classification.Lame("empty non-authoritative reply");
  }

  /**
   * RFC 6672 2.2: a YXDOMAIN is usable only with the DNAME that explains it, one above the chain's
   * last name whose substitution is too long; without one the reply is thrown away.
   */
  private static Classification tooLong(ScrubbedReply reply, List<Record> chain, Name current,
      List<Record> authorityDnssec) {
    DNAMERecord dname = DnameRedirect.above(reply.answer(), current);
    if (dname == null || DnameRedirect.synthesise(current, dname) != null) {
      return new Classification.Throwaway("YXDOMAIN without a DNAME that makes " + current + " too long");
    }
    List<Record> withDname = new ArrayList<>(chain);
    withDname.add(dname);
    return new Classification.YxDomain(withDname, current, signaturesOver(reply.answer(), withDname),
        authorityDnssec);
  }

  /** The RRSIGs of {@code answer} that sign one of the chain's RRsets (same owner, covered type). */
  private static List<Record> signaturesOver(List<Record> answer, List<Record> chain) {
    List<Record> signatures = new ArrayList<>();
    for (Record record : answer) {
      if (record instanceof RRSIGRecord sig) {
        for (Record data : chain) {
          if (data.getName().equals(sig.getName()) && data.getType() == sig.getTypeCovered()) {
            signatures.add(sig);
            break;
          }
        }
      }
    }
    return signatures;
  }

  private static List<Record> dnssecRecords(List<Record> authority) {
    List<Record> dnssec = new ArrayList<>();
    for (Record record : authority) {
      if (BailiwickScrubber.isDnssecProof(record)) {
        dnssec.add(record);
      }
    }
    return dnssec;
  }

  private static List<Record> owned(List<Record> records, Name name, int type) {
    List<Record> matching = new ArrayList<>();
    for (Record record : records) {
      // QTYPE ANY (RFC 1035 3.2.3, "*") matches every type the server chose to return; their
      // RRSIGs go with the RRsets they sign, as for any other question.
      boolean typeMatches = type == Type.ANY ? record.getType() != Type.RRSIG : record.getType() == type;
      if (typeMatches && record.getName().equals(name)) {
        matching.add(record);
      }
    }
    return matching;
  }

  private static SOARecord soa(List<Record> authority, Name name) {
    for (Record record : authority) {
      if (record instanceof SOARecord soa && name.subdomain(soa.getName())) {
        return soa;
      }
    }
    return null;
  }
}
