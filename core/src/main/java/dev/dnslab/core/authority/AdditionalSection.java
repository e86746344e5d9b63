package dev.dnslab.core.authority;

import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneLookup;
import dev.dnslab.core.zone.ZoneSet;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Additional-section processing (RFC 1034 4.3.2 step 6, RFC 1035 3.3.9/3.3.11, RFC 2782). */
final class AdditionalSection {
  private static final int[] ADDRESS_TYPES = {Type.A, Type.AAAA};

  private AdditionalSection() {}

  /**
   * Glue for a referral: the addresses of the child's name servers that we hold, including those
   * below the cut, which only exist in the parent as glue.
   */
  static void addGlue(Message response, ZoneSet zones, RRset nameServers) {
    for (Record record : nameServers.rrs(false)) {
      Name target = ((NSRecord) record).getTarget();
      Zone zone = zones.closestEnclosing(target);
      if (zone == null) {
        continue;
      }
      for (int type : ADDRESS_TYPES) {
        RRset addresses = zone.rrset(target, type);
        if (addresses != null) {
          addOnce(response, addresses, false);
        }
      }
    }
  }

  /**
   * Addresses of NS, MX and SRV targets in an answer, where we are authoritative for them; with
   * their RRSIGs when {@code withSignatures} (RFC 4035 3.1.1; glue has none).
   */
  static void addTargetAddresses(Message response, ZoneSet zones, RRset answer, boolean withSignatures) {
    for (Record record : answer.rrs(false)) {
      Name target = targetOf(record);
      if (target == null) {
        continue;
      }
      Zone zone = zones.closestEnclosing(target);
      if (zone == null) {
        continue;
      }
      for (int type : ADDRESS_TYPES) {
        if (answer.getType() == Type.NS) {
          // A name server's address may be glue below a cut; it is still what the client needs.
          RRset glue = zone.rrset(target, type);
          if (glue != null) {
            addOnce(response, glue, withSignatures);
          }
        } else if (zone.lookup(target, type) instanceof ZoneLookup.Answer found && !found.wildcard()) {
          found.rrsets().forEach(set -> addOnce(response, set, withSignatures));
        }
      }
    }
  }

  private static Name targetOf(Record record) {
    if (record instanceof NSRecord ns) {
      return ns.getTarget();
    }
    if (record instanceof MXRecord mx) {
      return mx.getTarget();
    }
    if (record instanceof SRVRecord srv) {
      return srv.getTarget();
    }
    return null;
  }

  private static void addOnce(Message response, RRset rrset, boolean withSignatures) {
    if (rrset.rrs(false).stream().allMatch(record -> response.findRecord(record, Section.ADDITIONAL))) {
      return;
    }
    for (Record record : rrset.rrs(false)) {
      if (!response.findRecord(record, Section.ADDITIONAL)) {
        response.addRecord(record, Section.ADDITIONAL);
      }
    }
    if (withSignatures) {
      rrset.sigs().forEach(signature -> response.addRecord(signature, Section.ADDITIONAL));
    }
  }
}
