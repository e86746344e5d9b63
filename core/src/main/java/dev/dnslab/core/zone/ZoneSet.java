package dev.dnslab.core.zone;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The zones one server is authoritative for, found by closest enclosing origin. Immutable. */
public final class ZoneSet {
  private final Map<Name, Zone> zones;

  public ZoneSet(Collection<Zone> zones) {
    Map<Name, Zone> byOrigin = new LinkedHashMap<>();
    for (Zone zone : zones) {
      if (byOrigin.putIfAbsent(zone.origin(), zone) != null) {
        throw new IllegalArgumentException("zone " + zone.origin() + " is loaded twice");
      }
    }
    this.zones = Collections.unmodifiableMap(byOrigin);
  }

  public static ZoneSet empty() {
    return new ZoneSet(List.of());
  }

  public Collection<Zone> zones() {
    return zones.values();
  }

  public Zone zone(Name origin) {
    return zones.get(origin);
  }

  public boolean isEmpty() {
    return zones.isEmpty();
  }

  /**
   * The zone to answer {@code qname} from (RFC 1034 4.3.2 step 2): the one with the longest origin
   * that contains it, or null when the name is outside every zone.
   *
   * <p>A DS record lives on the parent side of a cut (RFC 4035 3.1.4.1), so a DS query for a zone
   * apex is answered from the parent when we serve it: the zone that delegates the apex (holds the
   * cut). When we serve the child but not its parent, the child answers: authoritatively, with no
   * data and its proof that the apex has no DS (RFC 4035 3.1.4.1, example B.8), never a referral
   * from some zone further up that would send a resolver away from a name we are authoritative for.
   */
  public Zone closestEnclosing(Name qname, int qtype) {
    Zone closest = closestEnclosing(qname);
    if (closest != null && qtype == Type.DS && closest.origin().equals(qname) && qname.labels() > 1) {
      Zone above = closestEnclosing(new Name(qname, 1));
      if (above != null && above.delegations().contains(qname)) {
        return above;
      }
    }
    return closest;
  }

  public Zone closestEnclosing(Name qname) {
    for (Name name = qname; ; name = new Name(name, 1)) {
      Zone zone = zones.get(name);
      if (zone != null) {
        return zone;
      }
      if (name.labels() <= 1) {
        return null;
      }
    }
  }
}
