package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/** The keys of one zone, as found in (or just made for) the lab's key directory. */
public record ZoneKeys(Name zone, DnssecAlgorithm algorithm, KeyStyle style, List<ZoneKey> keys) {
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
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys: [] (expected: at least one key for " + zone + ")");
    }
  }

  /** The DNSKEY RRset published at the apex (RFC 4035 2.1). */
  public RRset dnskeys() {
    RRset set = new RRset();
    keys.forEach(key -> set.addRR(key.dnskey()));
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

  /** The DS records the parent publishes: one per key-signing key (RFC 4035 2.4). */
  public List<DSRecord> ds(long ttl) {
    return keySigningKeys().stream().map(k -> k.ds(ttl)).collect(Collectors.toList());
  }

  @Override
  public String toString() {
    return zone + " " + algorithm + " " + style.policyName() + " tags "
        + keys.stream().map(k -> k.role().fileStem() + "=" + k.tag()).collect(Collectors.joining(","));
  }
}
