package dev.dnslab.core.fault;

import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.server.DnsRequest;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Narrows every NSEC record of a negative answer until it covers nothing: its next-name becomes
 * the owner's immediate successor in canonical order ({@code \000.owner}, RFC 4034 6.1), and the
 * record is signed again by the zone's real keys. Each NSEC validates, but none covers the name
 * asked for (or its wildcard), so the NXDOMAIN is unproven: bogus, SERVFAIL (RFC 4035 5.4).
 */
public final class NsecNotCoveringFault extends DnssecFault {
  public NsecNotCoveringFault(QueryMatch match, FaultListener listener, KeyDirectory keys) {
    super("nsec-not-covering", match, listener, keys);
  }

  @Override
  protected void rewrite(DnsRequest request, Message response) {
    List<RRset> sets = new ArrayList<>();
    for (RRset set : rrsets(response, Section.AUTHORITY)) {
      sets.add(typeOf(set) == Type.NSEC && !set.rrs(false).isEmpty() ? narrowed(set) : set);
    }
    replace(response, Section.AUTHORITY, sets);
  }

  private RRset narrowed(RRset set) {
    NSECRecord real = (NSECRecord) set.first();
    return signLike(new RRset(new NSECRecord(real.getName(), real.getDClass(), real.getTTL(),
        successor(real.getName()), real.getTypes())), set);
  }

  /** RFC 4034 6.1: the first name after {@code name} in canonical order. */
  static Name successor(Name name) {
    try {
      return Name.concatenate(Name.fromString("\\000"), name);
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      throw new IllegalStateException("no successor below " + name, e);
    }
  }
}
