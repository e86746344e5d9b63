package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * The keys of one zone, as found in (or just made for) the lab's key directory.
 *
 * @param keys the keys that sign (and are published)
 * @param standby keys published in the DNSKEY RRset that sign nothing: during a ZSK rollover the new
 *     ZSK before it signs, then the old one after (RFC 7583 3.2.1)
 * @param dsOnly key-signing keys whose DS the parent publishes though the zone does not: during a
 *     KSK double-DS rollover the new KSK before it takes over, then the old one after (RFC 7583
 *     3.3.2)
 */
public record ZoneKeys(Name zone, DnssecAlgorithm algorithm, KeyStyle style, List<ZoneKey> keys,
    List<ZoneKey> standby, List<ZoneKey> dsOnly) {
  /**
   * TTL of the DNSKEY RRset: an hour, so that after {@code rotate} resolvers pick up the new keys
   * within a lab session (RFC 7583 3.3 ties every rollover step to this TTL).
   */
  public static final long DNSKEY_TTL = 3600;

  public ZoneKeys {
    requireNonNull(zone, "zone");
    requireNonNull(algorithm, "algorithm");
    requireNonNull(style, "style");
    keys = List.copyOf(keys);
    standby = List.copyOf(standby);
    dsOnly = List.copyOf(dsOnly);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys: [] (expected: at least one key for " + zone + ")");
    }
  }

  /** A zone's keys outside any rollover: each one signs and is published. */
  public ZoneKeys(Name zone, DnssecAlgorithm algorithm, KeyStyle style, List<ZoneKey> keys) {
    this(zone, algorithm, style, keys, List.of(), List.of());
  }

  /** The DNSKEY RRset published at the apex (RFC 4035 2.1): the signing keys and those on standby. */
  public RRset dnskeys() {
    RRset set = new RRset();
    keys.forEach(key -> set.addRR(key.dnskey()));
    standby.forEach(key -> set.addRR(key.dnskey()));
    return set;
  }

  /** The keys that sign the DNSKEY RRset: KSK or CSK. */
  public List<ZoneKey> keySigningKeys() {
    return keys.stream().filter(k -> k.role().signsKeys()).collect(Collectors.toList());
  }

  /** The keys that sign every other RRset: ZSK or CSK. */
  public List<ZoneKey> zoneSigningKeys() {
    return keys.stream().filter(k -> k.role().signsZone()).collect(Collectors.toList());
  }

  /**
   * The DS records the parent publishes: one per key-signing key (RFC 4035 2.4), and during a
   * double-DS rollover one for the other KSK too.
   */
  public List<DSRecord> ds(long ttl) {
    List<DSRecord> ds = new ArrayList<>();
    keySigningKeys().forEach(k -> ds.add(k.ds(ttl)));
    dsOnly.forEach(k -> ds.add(k.ds(ttl)));
    return ds;
  }

  /**
   * Whether {@code other} publishes and signs exactly as these keys do (same DNSKEY RRset, same
   * signing keys, same DS): when not, a zone signed with {@code other} must be signed again.
   */
  public boolean servesAs(ZoneKeys other) {
    return Set.copyOf(dnskeys().rrs(false)).equals(Set.copyOf(other.dnskeys().rrs(false)))
        && tags(keys).equals(tags(other.keys)) && Set.copyOf(ds(DNSKEY_TTL)).equals(Set.copyOf(other.ds(DNSKEY_TTL)));
  }

  private static List<String> tags(List<ZoneKey> keys) {
    return keys.stream().map(k -> k.role() + "=" + k.tag()).sorted().toList();
  }

  @Override
  public String toString() {
    return zone + " " + algorithm + " " + style.policyName() + " tags "
        + keys.stream().map(k -> k.role().fileStem() + "=" + k.tag()).collect(Collectors.joining(","))
        + (standby.isEmpty() ? "" : " published " + standby.stream().map(k -> k.role().fileStem() + "=" + k.tag()).collect(Collectors.joining(",")))
        + (dsOnly.isEmpty() ? "" : " ds-only " + dsOnly.stream().map(k -> k.role().fileStem() + "=" + k.tag()).collect(Collectors.joining(",")));
  }
}
