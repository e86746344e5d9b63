package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.utils.base16;

/**
 * The lab root's trust anchor (RFC 4033 3.1, RFC 4035 4.4): the DS of its key-signing key, which
 * a validating resolver is told to trust instead of the real root's, and the DNSKEY it names.
 * {@link TrustAnchorFormat} renders it for each resolver.
 */
public record TrustAnchor(Name zone, List<DSRecord> ds, List<DNSKEYRecord> dnskeys) {
  public TrustAnchor {
    requireNonNull(zone, "zone");
    ds = List.copyOf(ds);
    dnskeys = List.copyOf(dnskeys);
    if (ds.isEmpty()) {
      throw new IllegalArgumentException("ds: [] (expected: at least one DS for " + zone + ")");
    }
  }

  /** The anchor of a zone (the lab root) from its keys: its key-signing keys and their DS. */
  public static TrustAnchor of(ZoneKeys keys) {
    return new TrustAnchor(keys.zone(), keys.ds(ZoneKeys.DNSKEY_TTL),
        keys.keySigningKeys().stream().map(ZoneKey::dnskey).collect(Collectors.toList()));
  }

  /**
   * The anchor named by a zone's published keys, e.g. the key files read from a lab container: its
   * secure entry points (SEP flag, RFC 4034 2.1.1) and their SHA-256 DS.
   */
  public static TrustAnchor ofPublishedKeys(Name zone, List<DNSKEYRecord> keys) {
    List<DNSKEYRecord> entryPoints = keys.stream()
        .filter(key -> (key.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0).collect(Collectors.toList());
    List<DSRecord> ds = entryPoints.stream()
        .map(key -> new DSRecord(zone, key.getDClass(), ZoneKeys.DNSKEY_TTL, DNSSEC.Digest.SHA256, key))
        .collect(Collectors.toList());
    return new TrustAnchor(zone, ds, entryPoints);
  }

  /**
   * The anchor as a master-file fragment: the DS records, and the DNSKEY records as comments for
   * a reader who wants to compare them with a {@code dig DNSKEY .}. Unbound's {@code
   * trust-anchor-file} and Knot Resolver's {@code trust_anchors.add_file} both read this.
   */
  public String anchorFileText() {
    StringBuilder text = new StringBuilder("; dnslab lab trust anchor for " + zone
        + " (not the real root's: trust it only in a resolver that asks the lab's root)\n");
    for (DNSKEYRecord key : dnskeys) {
      text.append("; ").append(key).append('\n');
    }
    for (DSRecord record : ds) {
      text.append(record).append('\n');
    }
    return text.toString();
  }

  /** The DS rdata as written in DS records: {@code 12345 8 2 HEX}. */
  static String dsRdata(DSRecord record) {
    return record.getFootprint() + " " + record.getAlgorithm() + " " + record.getDigestID() + " "
        + base16.toString(record.getDigest());
  }
}
