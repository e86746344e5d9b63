package dev.dnslab.recursor.handler;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The special-use and locally served zones, answered without asking anyone (RFC 6761 6.3, 6.4 and
 * RFC 6303 3): {@code localhost} and the names under it are the loopback addresses, {@code invalid}
 * does not exist, and the reverse zones of private, loopback and link-local addresses are empty.
 * Walking these from the root would leak private addresses to the root and TLD servers (the
 * "AS112" traffic RFC 6303 1 describes) and make {@code localhost} depend on the network. Every
 * negative answer carries the zone's locally made SOA, {@code <zone> 10800 IN SOA <zone>
 * nobody.invalid. 1 3600 1200 604800 10800}, the record RFC 6303 3 gives, so a stub can cache it
 * for 10800 seconds (RFC 2308 5). {@link LocallyServedZoneHandler} answers clients from here, and
 * {@code /trace} says a name was answered here rather than walk it.
 */
public final class LocallyServedZones {
  /** What /trace says of a name answered here. */
  public static final String ANSWERED_LOCALLY = "answered locally (RFC 6761/6303): no upstream query";

  /**
   * A local answer: the zone it came from, the rcode and the sections.
   *
   * @param zone the apex of the locally served zone
   */
  public record LocalAnswer(Name zone, int rcode, List<Record> answer, List<Record> authority) {
    public LocalAnswer {
      answer = List.copyOf(answer);
      authority = List.copyOf(authority);
    }
  }

  private LocallyServedZones() {}
  /** RFC 6303 3: the TTL and negative TTL of the locally made SOA and NS. */
  static final long LOCAL_TTL = 10800;

  private static final Name NOBODY_INVALID = Name.fromConstantString("nobody.invalid.");
  private static final InetAddress LOOPBACK_V4 = address("127.0.0.1");
  private static final InetAddress LOOPBACK_V6 = address("::1");

  /** How a locally served zone answers the names in it. */
  private enum Kind {
    /** RFC 6761 6.3: every name at or under the apex has the loopback addresses and nothing else. */
    LOOPBACK,
    /** RFC 6761 6.4: no name at or under the apex exists, the apex included. */
    NONEXISTENT,
    /** RFC 6303 3: SOA and NS at the apex, nothing else: every name below is NXDOMAIN. */
    EMPTY
  }

  private record LocalZone(Name apex, Kind kind) {}

  private static final List<LocalZone> ZONES = zones();
  /**
   * The top-level names the zones sit under (localhost, invalid, arpa): every other question, the
   * common case, is let through after a few comparisons instead of one per zone.
   */
  private static final List<Name> TOP_LEVELS = ZONES.stream()
      .map(zone -> new Name(zone.apex(), Math.max(0, zone.apex().labels() - 2))).distinct().toList();

  private static List<LocalZone> zones() {
    List<LocalZone> zones = new ArrayList<>();
    zones.add(new LocalZone(Name.fromConstantString("localhost."), Kind.LOOPBACK));
    zones.add(new LocalZone(Name.fromConstantString("invalid."), Kind.NONEXISTENT));
    List<String> empty = new ArrayList<>();
    // RFC 6303 4.1: RFC 1918 private space.
    empty.add("10.in-addr.arpa.");
    for (int octet = 16; octet <= 31; octet++) {
      empty.add(octet + ".172.in-addr.arpa.");
    }
    empty.add("168.192.in-addr.arpa.");
    // RFC 6303 4.2: "this network", loopback, link-local, the documentation nets, broadcast.
    empty.addAll(List.of("0.in-addr.arpa.", "127.in-addr.arpa.", "254.169.in-addr.arpa.", "2.0.192.in-addr.arpa.",
        "100.51.198.in-addr.arpa.", "113.0.203.in-addr.arpa.", "255.255.255.255.in-addr.arpa."));
    // RFC 6303 4.3 to 4.6: ULA fd00::/8, link-local fe80::/10, documentation 2001:db8::/32, :: and ::1.
    empty.addAll(List.of("d.f.ip6.arpa.", "8.e.f.ip6.arpa.", "9.e.f.ip6.arpa.", "a.e.f.ip6.arpa.", "b.e.f.ip6.arpa.",
        "8.b.d.0.1.0.0.2.ip6.arpa."));
    empty.add("0.".repeat(32) + "ip6.arpa.");
    empty.add("1." + "0.".repeat(31) + "ip6.arpa.");
    empty.forEach(apex -> zones.add(new LocalZone(Name.fromConstantString(apex), Kind.EMPTY)));
    return List.copyOf(zones);
  }

  /**
   * The answer to {@code qname}/{@code qtype} (class IN) when a locally served zone holds the name,
   * or null when it is resolved as usual. Owners are spelled as {@code qname} is (RFC 1034 3.1: a
   * 0x20 stub compares the case).
   */
  public static LocalAnswer answer(Name qname, int qtype) {
    LocalZone zone = zoneOf(qname);
    return zone == null ? null : answer(qname, qtype, zone);
  }

  /** The locally served zone holding {@code name}, or null when it is resolved as usual. */
  private static LocalZone zoneOf(Name name) {
    for (Name top : TOP_LEVELS) {
      if (name.subdomain(top)) {
        return zoneUnder(name);
      }
    }
    return null;
  }

  private static LocalZone zoneUnder(Name name) {
    for (LocalZone zone : ZONES) {
      if (name.subdomain(zone.apex())) {
        return zone;
      }
    }
    return null;
  }

  private static LocalAnswer answer(Name qname, int qtype, LocalZone zone) {
    boolean apex = qname.equals(zone.apex());
    List<Record> data = new ArrayList<>();
    boolean exists = switch (zone.kind()) {
      case LOOPBACK -> {
        if (apex) {
          data.addAll(apexRecords(zone.apex()));
        }
        data.add(new ARecord(qname, DClass.IN, LOCAL_TTL, LOOPBACK_V4));
        data.add(new AAAARecord(qname, DClass.IN, LOCAL_TTL, LOOPBACK_V6));
        yield true;
      }
      case NONEXISTENT -> false;
      case EMPTY -> {
        if (apex) {
          data.addAll(apexRecords(zone.apex()));
        }
        yield apex;
      }
    };
    List<Record> matching = data.stream()
        .filter(record -> qtype == Type.ANY || record.getType() == qtype)
        .map(record -> record.getName().equals(qname) ? record.withName(qname) : record)
        .toList();
    // RFC 2308 3: NXDOMAIN and NODATA carry the zone's SOA for negative caching.
    List<Record> authority = matching.isEmpty() ? List.of(soa(zone.apex())) : List.of();
    return new LocalAnswer(zone.apex(), exists ? Rcode.NOERROR : Rcode.NXDOMAIN, matching, authority);
  }

  private static List<Record> apexRecords(Name apex) {
    return List.of(soa(apex), new NSRecord(apex, DClass.IN, LOCAL_TTL, apex));
  }

  private static SOARecord soa(Name apex) {
    return new SOARecord(apex, DClass.IN, LOCAL_TTL, apex, NOBODY_INVALID, 1, 3600, 1200, 604800, LOCAL_TTL);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
