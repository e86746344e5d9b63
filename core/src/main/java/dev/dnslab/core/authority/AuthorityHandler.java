package dev.dnslab.core.authority;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.DnsChain;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.server.DnsRequest;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneLookup;
import dev.dnslab.core.zone.ZoneRepository;
import dev.dnslab.core.zone.ZoneSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers from the server's own zones, following RFC 1034 4.3.2: find the closest enclosing zone,
 * then give the answer (AA), a referral (NS in authority, glue in additional, no AA), a CNAME
 * followed as far as this server's zones reach, or a negative answer with the SOA in authority
 * (RFC 2308 3). Names outside every zone pass on to the next handler (REFUSED at the end of an
 * authority-only chain).
 */
public final class AuthorityHandler implements DnsHandler {
  /**
   * How many CNAMEs one response may follow inside our own zones before stopping. Real chains are
   * short; the cap keeps a loop or a deliberately long chain in a zone from growing a response.
   */
  public static final int MAX_CNAME_CHAIN = 16;

  private final ZoneRepository zones;

  public AuthorityHandler(ZoneRepository zones) {
    this.zones = requireNonNull(zones, "zones");
  }

  @Override
  public CompletionStage<Message> handle(DnsRequest request, DnsChain next) {
    Record question = request.question();
    int qtype = question.getType();
    if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY
        || qtype == Type.AXFR || qtype == Type.IXFR) {
      return next.proceed(request);
    }
    ZoneSet snapshot = zones.zones();
    Zone zone = snapshot.closestEnclosing(question.getName(), qtype);
    if (zone == null) {
      return next.proceed(request);
    }
    Message response = request.newResponse(Rcode.NOERROR);
    answer(response, snapshot, zone, question.getName(), qtype);
    return CompletableFuture.completedFuture(response);
  }

  private static void answer(Message response, ZoneSet zones, Zone zone, Name qname, int qtype) {
    Name current = qname;
    Set<Name> visited = new HashSet<>();
    for (int step = 0; step <= MAX_CNAME_CHAIN; step++) {
      visited.add(current);
      ZoneLookup lookup = zone.lookup(current, qtype);
      if (step == 0 && !(lookup instanceof ZoneLookup.Referral)) {
        response.getHeader().setFlag(Flags.AA);
      }
      if (lookup instanceof ZoneLookup.Answer answer) {
        for (RRset rrset : answer.rrsets()) {
          addRRset(response, rrset, Section.ANSWER, current);
          AdditionalSection.addTargetAddresses(response, zones, rrset);
        }
        return;
      } else if (lookup instanceof ZoneLookup.Referral referral) {
        // RFC 1034 4.3.2 step 3b: the name servers of the child, and what we know of their addresses.
        addRRset(response, referral.nameServers(), Section.AUTHORITY, null);
        AdditionalSection.addGlue(response, zones, referral.nameServers());
        return;
      } else if (lookup instanceof ZoneLookup.NoData) {
        response.addRecord(NegativeAnswer.soaFor(zone), Section.AUTHORITY);
        return;
      } else if (lookup instanceof ZoneLookup.NxDomain) {
        // RFC 6604 3: after a CNAME chain the rcode describes the last name.
        response.getHeader().setRcode(Rcode.NXDOMAIN);
        response.addRecord(NegativeAnswer.soaFor(zone), Section.AUTHORITY);
        return;
      }
      RRset cname = ((ZoneLookup.Cname) lookup).cname();
      addRRset(response, cname, Section.ANSWER, current);
      Name target = ((CNAMERecord) cname.first()).getTarget();
      Zone targetZone = zones.closestEnclosing(target, qtype);
      if (targetZone == null || visited.contains(target)) {
        return; // RFC 1034 4.3.2 step 3a: the resolver continues from the CNAME; loops stop here
      }
      current = target;
      zone = targetZone;
    }
  }

  /**
   * Adds an RRset. When its owner is the name being answered, the owner is written exactly as the
   * client spelled it (RFC 1034 3.1 case preservation, which 0x20 relies on).
   */
  private static void addRRset(Message response, RRset rrset, int section, Name spelledOwner) {
    boolean respell = spelledOwner != null && rrset.getName().equals(spelledOwner);
    for (Record record : rrset.rrs(false)) {
      response.addRecord(respell ? record.withName(spelledOwner) : record, section);
    }
  }
}
