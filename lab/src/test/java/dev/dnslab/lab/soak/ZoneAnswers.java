package dev.dnslab.lab.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/**
 * What a resolver must answer for a name of the lab, worked out from the zone files themselves
 * (dnsjava's {@link Zone}, the same lookup an authority makes: RFC 1034 4.3.2, wildcards included),
 * so the soak checks every answer against the data rather than against another resolver. A CNAME
 * is followed into whichever zone holds its target (RFC 1034 3.6.2), as a resolver does.
 */
final class ZoneAnswers {
  /** More CNAMEs than any chain of the lab: a loop in the data, not a long chain. */
  private static final int MAX_CHAIN = 8;

  private final List<Zone> zones;

  private ZoneAnswers(List<Zone> zones) {
    // Longest origin first, so the closest enclosing zone is found first.
    this.zones = zones.stream()
        .sorted(Comparator.comparingInt((Zone zone) -> zone.getOrigin().labels()).reversed())
        .toList();
  }

  /** The zones of {@code folder} (the lab's zones/authoritative), each file named ORIGIN.zone. */
  static ZoneAnswers load(Path folder) throws IOException {
    List<Zone> zones = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".zone")).sorted().toList()) {
        String name = file.getFileName().toString();
        zones.add(new Zone(Name.fromString(name.substring(0, name.length() - ".zone".length()), Name.root),
            file.toString()));
      }
    }
    return new ZoneAnswers(zones);
  }

  /** Every owner name of the zones but wildcards: the names the soak asks for. */
  List<Name> names() {
    List<Name> names = new ArrayList<>();
    for (Zone zone : reachableOverIpv4()) {
      for (Iterator<RRset> sets = zone.iterator(); sets.hasNext(); ) {
        Name owner = sets.next().getName();
        if (!owner.isWild() && !names.contains(owner)) {
          names.add(owner);
        }
      }
    }
    return names;
  }

  /** The zone origins, under which the soak makes up names that do not exist. */
  List<Name> origins() {
    return reachableOverIpv4().stream().map(Zone::getOrigin).toList();
  }

  /**
   * The zones a resolver can reach over IPv4, which is all the soak's namespace has: a zone whose
   * name servers all have only AAAA records here (v6only.net) can only be answered SERVFAIL there,
   * which says nothing about loss and delay, so the soak leaves it out.
   */
  private List<Zone> reachableOverIpv4() {
    return zones.stream().filter(this::hasIpv4NameServer).toList();
  }

  private boolean hasIpv4NameServer(Zone zone) {
    for (Record ns : zone.getNS().rrs(false)) {
      Name target = ((org.xbill.DNS.NSRecord) ns).getTarget();
      java.util.Optional<Zone> holder = zoneOf(target);
      if (holder.isEmpty() || holder.get().findRecords(target, Type.A).isSuccessful()) {
        return true; // an address elsewhere, or an A record here
      }
    }
    return false;
  }

  /** The expected answer: rcode, answer records and, for a negative answer, whose SOA comes with it. */
  record Expected(int rcode, List<String> answer, Name negativeZone) {}

  Expected expect(Name qname, int qtype) {
    List<String> answer = new ArrayList<>();
    Name current = qname;
    for (int step = 0; step < MAX_CHAIN; step++) {
      Zone zone = zoneOf(current).orElseThrow(() -> new IllegalArgumentException("no lab zone holds " + qname));
      SetResponse found = zone.findRecords(current, qtype);
      if (found.isSuccessful()) {
        for (RRset set : found.answers()) {
          for (Record record : set.rrs(false)) {
            // A wildcard's records are answered under the name asked (RFC 4592 3.3.1).
            answer.add(line(record.withName(current)));
          }
        }
        return new Expected(Rcode.NOERROR, answer, null);
      }
      if (found.isCNAME()) {
        CNAMERecord cname = found.getCNAME();
        answer.add(line(cname.withName(current)));
        current = cname.getTarget();
        continue;
      }
      if (found.isDNAME()) {
        // RFC 6672 2.2: the DNAME and the CNAME synthesised from it, then on to the target.
        DNAMERecord dname = found.getDNAME();
        Name target;
        try {
          target = current.fromDNAME(dname);
        } catch (org.xbill.DNS.NameTooLongException e) {
          return new Expected(Rcode.YXDOMAIN, List.of(line(dname)), null); // RFC 6672 2.2
        }
        answer.add(line(dname));
        answer.add(line(new CNAMERecord(current, dname.getDClass(), dname.getTTL(), target)));
        current = target;
        continue;
      }
      if (found.isNXDOMAIN()) {
        // dnsjava says NXDOMAIN when a wildcard matches but lacks the type; RFC 4592 4.1: NODATA.
        return new Expected(wildcardCovers(zone, current) ? Rcode.NOERROR : Rcode.NXDOMAIN, answer, zone.getOrigin());
      }
      if (found.isNXRRSET()) {
        return new Expected(Rcode.NOERROR, answer, zone.getOrigin());
      }
      throw new IllegalStateException("unexpected lookup result for " + current + "/" + Type.string(qtype) + ": " + found);
    }
    throw new IllegalStateException("CNAME chain longer than " + MAX_CHAIN + " from " + qname);
  }

  /**
   * Null when {@code response} is exactly the expected answer: the same rcode, the same answer
   * records (RRSIGs aside, TTLs aside), and for a negative answer the SOA of the right zone
   * (RFC 2308 3); otherwise what is wrong.
   */
  String mismatch(Message response, Name qname, int qtype) {
    Expected expected = expect(qname, qtype);
    if (response.getRcode() != expected.rcode()) {
      return "rcode " + Rcode.string(response.getRcode()) + " (expected: " + Rcode.string(expected.rcode()) + ")";
    }
    TreeSet<String> got = new TreeSet<>();
    for (Record record : response.getSection(Section.ANSWER)) {
      if (record.getType() != Type.RRSIG) {
        got.add(line(record));
      }
    }
    TreeSet<String> want = new TreeSet<>(expected.answer());
    if (!got.equals(want)) {
      return "answer " + got + " (expected: " + want + ")";
    }
    if (expected.negativeZone() != null
        && response.getSection(Section.AUTHORITY).stream()
            .noneMatch(r -> r.getType() == Type.SOA && r.getName().equals(expected.negativeZone()))) {
      return "negative answer without the SOA of " + expected.negativeZone();
    }
    return null;
  }

  /**
   * Whether a wildcard at the closest encloser of {@code name} exists (RFC 4592 3.3.1), the closest
   * encloser being the nearest ancestor that exists, empty non-terminals included (RFC 4592 2.2.2).
   */
  private static boolean wildcardCovers(Zone zone, Name name) {
    List<Name> owners = new ArrayList<>();
    zone.iterator().forEachRemaining(set -> owners.add(set.getName()));
    for (int labels = name.labels() - 1; labels >= zone.getOrigin().labels(); labels--) {
      Name ancestor = new Name(name, name.labels() - labels);
      if (owners.stream().anyMatch(owner -> owner.subdomain(ancestor))) {
        try {
          return owners.contains(Name.concatenate(Name.fromConstantString("*"), ancestor));
        } catch (NameTooLongException e) {
          return false; // no room for a wildcard label: there can be none
        }
      }
    }
    return false;
  }

  private Optional<Zone> zoneOf(Name name) {
    return zones.stream().filter(zone -> name.subdomain(zone.getOrigin())).findFirst();
  }

  /** Owner, type and data, without TTL, in lower case (RFC 4343: names compare without case). */
  private static String line(Record record) {
    return (record.getName() + " " + Type.string(record.getType()) + " " + record.rdataToString()).toLowerCase(Locale.ROOT);
  }
}
