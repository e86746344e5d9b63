package dev.dnslab.recursor.dnssec;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.xbill.DNS.Name;

/**
 * One zone of the chain of trust, for {@code /trace} and {@code dnslab visit}: the DS RRset the
 * parent gave (presentation text; for the anchor zone, the anchor's), the zone's DNSKEY set, which
 * key signed which RRset, and the zone's verdict with its reason. The DS RRset's own RRSIG (made by
 * the parent's key) is listed with the child's signatures, beside the DNSKEY RRset's and those of
 * the answer's RRsets the zone signed.
 */
public record ChainLink(
    Name zone, List<String> ds, List<KeyInfo> dnskeys, List<Signature> signatures, Security security, String reason) {
  public ChainLink {
    requireNonNull(zone, "zone");
    requireNonNull(security, "security");
    requireNonNull(reason, "reason");
    ds = List.copyOf(ds);
    dnskeys = List.copyOf(dnskeys);
    signatures = List.copyOf(signatures);
  }

  /**
   * A DNSKEY of the zone (RFC 4034 2). {@code secureEntryPoint}: the SEP flag (a key-signing
   * key); {@code trusted}: a DS from the parent (or the trust anchor) matched it.
   */
  public record KeyInfo(int tag, int flags, int algorithm, boolean secureEntryPoint, boolean trusted) {}

  /** One RRSIG checked: the RRset it covers ({@code owner}, type mnemonic), the key tag, the result. */
  public record Signature(String owner, String type, int keyTag, Security result, String reason) {}
}
