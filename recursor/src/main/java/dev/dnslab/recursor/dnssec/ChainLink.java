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

  /**
   * One RRSIG checked: the RRset it covers ({@code owner}, type mnemonic), the key tag, the result.
   * The owner is the RRset's own name, not its text: a validation is kept as long as the answer it
   * judged, whose records hold that name already, so a signed answer's entries add no text of their
   * own (under a flood of new signed names, ~80 bytes per entry, two or three entries per answer).
   */
  public record Signature(Name owner, String type, int keyTag, Security result, String reason) {
    public Signature {
      requireNonNull(owner, "owner");
    }

    /**
     * A signature that verified with the key of its tag: the text says so, one instance per tag
     * (a lab's zones have a handful of keys, and every answer they signed names one).
     */
    static Signature verified(Name owner, String type, int keyTag) {
      return new Signature(owner, type, keyTag, Security.SECURE, VerifiedWith.text(keyTag));
    }
  }

  /**
   * "verified with key N", one instance per key tag in use: a slot per low byte of the tag, taken
   * over by another tag that lands there. Racy on purpose: the texts are immutable and equal, so a
   * lost write only means one more copy.
   */
  private static final class VerifiedWith {
    private record Text(int keyTag, String text) {}

    private static final Text[] SLOTS = new Text[256];

    static String text(int keyTag) {
      Text slot = SLOTS[keyTag & 0xFF];
      if (slot == null || slot.keyTag() != keyTag) {
        slot = new Text(keyTag, "verified with key " + keyTag);
        SLOTS[keyTag & 0xFF] = slot;
      }
      return slot.text();
    }
  }
}
