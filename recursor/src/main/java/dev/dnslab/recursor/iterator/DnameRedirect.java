package dev.dnslab.recursor.iterator;

import dev.dnslab.core.zone.DnameSynthesis;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/**
 * A DNAME in a reply's answer section that redirects a name on the answer's chain (RFC 6672 2.3),
 * and the CNAME the recursor derives from it itself. RFC 6672 3.2 has the resolver check the
 * server's synthesised CNAME against the DNAME: rather than compare, the recursor always uses its
 * own, so a forged, stale or missing CNAME (a server that follows RFC 2672 loosely) changes
 * nothing, and the server's CNAME for that name is ignored.
 */
final class DnameRedirect {
  private DnameRedirect() {}

  /**
   * {@code chain} without the CNAMEs whose owner is below a DNAME of the chain (synthesised ones),
   * in a new list the caller may add to.
   */
  static List<Record> withoutSynthesisedCnames(List<Record> chain) {
    List<Record> kept = new ArrayList<>(chain.size());
    for (Record record : chain) {
      if (!(record instanceof CNAMERecord && above(chain, record.getName()) != null)) {
        kept.add(record);
      }
    }
    return kept;
  }

  /** The DNAME in {@code answer} whose owner is strictly above {@code name}, or null. */
  static DNAMERecord above(List<Record> answer, Name name) {
    DNAMERecord closest = null;
    for (Record record : answer) {
      if (record instanceof DNAMERecord dname && name.subdomain(dname.getName()) && !name.equals(dname.getName())
          && (closest == null || dname.getName().subdomain(closest.getName()))) {
        closest = dname;
      }
    }
    return closest;
  }

  /**
   * The CNAME from {@code name} to its substitute under the DNAME's target, with the DNAME's TTL
   * (RFC 6672 3.1), or null when the substitute would be longer than 255 octets (2.2).
   */
  static CNAMERecord synthesise(Name name, DNAMERecord dname) {
    Name target = DnameSynthesis.target(name, dname);
    if (target == null) {
      return null;
    }
    RRset set = new RRset(dname);
    return DnameSynthesis.cname(name, set, target);
  }
}
