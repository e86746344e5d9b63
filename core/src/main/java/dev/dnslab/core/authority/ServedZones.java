package dev.dnslab.core.authority;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.dnssec.SignedZone;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneSet;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * What an authority server answers from at one moment, swapped as a whole: the zones (for a signed
 * zone, its {@link SignedZone#servedZone()}) and the signed form of those the policy signs, so one
 * answer never mixes a zone from one reload with signatures from another.
 *
 * @param zones the zones to look names up in
 * @param signed the signed zones by origin; a zone missing here is served unsigned
 */
public record ServedZones(ZoneSet zones, Map<Name, SignedZone> signed) {
  public ServedZones {
    requireNonNull(zones, "zones");
    signed = Map.copyOf(requireNonNull(signed, "signed"));
  }

  /** Zones served without DNSSEC. */
  public static ServedZones unsigned(ZoneSet zones) {
    return new ServedZones(zones, Map.of());
  }

  /** The signed form of {@code zone}, or null when it is served unsigned. */
  public SignedZone signedFormOf(Zone zone) {
    SignedZone signedZone = signed.get(zone.origin());
    return signedZone != null && signedZone.servedZone() == zone ? signedZone : null;
  }
}
