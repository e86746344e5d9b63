package dev.dnslab.recursor.trace;

import static java.util.Objects.requireNonNull;

import dev.dnslab.recursor.dnssec.ChainLink;
import dev.dnslab.recursor.dnssec.Security;
import dev.dnslab.recursor.dnssec.Validation;
import dev.dnslab.recursor.dnssec.Verdict;
import java.util.List;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedErrorCodeOption;

/**
 * The {@code dnssec} block of {@code /trace}: the chain of trust of the traced answer, for people.
 * Documented in recursor/README.md; like {@link Trace}, fields are added, never renamed or removed.
 *
 * @param security the verdict on the answer: SECURE, INSECURE, BOGUS or INDETERMINATE (RFC 4033 5)
 * @param ede the Extended DNS Error (RFC 8914) the recursor puts on the wire; null for none
 * @param reason why, in words (the EDE's EXTRA-TEXT): names the zone, and the server when known
 * @param brokenAt where the chain breaks: for a BOGUS or INDETERMINATE verdict, the first zone of
 *     {@code chain} that is not secure (or the last zone, when its keys are fine but its data is
 *     not); null for SECURE and INSECURE
 * @param chain one entry per zone, from the trust anchor down to the answer's zone
 */
public record TraceDnssec(String security, Ede ede, String reason, String brokenAt, List<Link> chain) {
  public TraceDnssec {
    requireNonNull(security, "security");
    chain = List.copyOf(chain);
  }

  /** An RFC 8914 Extended DNS Error: its code and its name in the IANA registry (dnsjava's mnemonic). */
  public record Ede(int code, String name) {
    static Ede of(int code) {
      return code == Verdict.NO_EDE ? null : new Ede(code, ExtendedErrorCodeOption.text(code));
    }
  }

  /**
   * One zone of the chain of trust.
   *
   * @param zone the zone's name
   * @param security the zone's verdict: SECURE (a trusted key signed its DNSKEY set), INSECURE
   *     (proven unsigned, or only unsupported algorithms), BOGUS, INDETERMINATE
   * @param reason why, in words
   * @param ds the DS RRset the parent gave for the zone (for the anchor's zone: the trust anchor),
   *     one zone-file line per record; empty for an unsigned delegation
   * @param dnskeys the zone's DNSKEY set
   * @param signatures which key signed which RRset, and whether the signature verified
   */
  public record Link(
      String zone, String security, String reason, List<String> ds, List<Key> dnskeys, List<Signature> signatures) {
    public Link {
      ds = List.copyOf(ds);
      dnskeys = List.copyOf(dnskeys);
      signatures = List.copyOf(signatures);
    }
  }

  /**
   * A DNSKEY (RFC 4034 2).
   *
   * @param tag the key tag (RFC 4034 Appendix B), as RRSIGs and DS records name it
   * @param flags 256 (zone key), 257 (zone key with the SEP flag: a key-signing key)
   * @param algorithm the algorithm number (8 RSASHA256, 13 ECDSAP256SHA256, 15 ED25519, ...)
   * @param algorithmName the algorithm's mnemonic
   * @param secureEntryPoint the SEP flag is set
   * @param trusted a DS from the parent (or the trust anchor) matches it
   */
  public record Key(int tag, int flags, int algorithm, String algorithmName, boolean secureEntryPoint, boolean trusted) {}

  /**
   * One RRSIG checked.
   *
   * @param owner the signed RRset's owner name
   * @param type the signed RRset's type (DNSKEY, DS, A, NSEC, ...)
   * @param keyTag the tag of the key that made the signature
   * @param result SECURE when it verified, BOGUS when not
   * @param reason why, in words
   */
  public record Signature(String owner, String type, int keyTag, String result, String reason) {}

  /** The block for a validator's result. */
  public static TraceDnssec of(Validation validation) {
    requireNonNull(validation, "validation");
    Verdict verdict = validation.verdict();
    List<Link> chain = validation.chain().stream().map(TraceDnssec::link).toList();
    return new TraceDnssec(verdict.security().name(), Ede.of(verdict.edeCode()), verdict.reason(),
        brokenAt(verdict, validation.chain()), chain);
  }

  private static Link link(ChainLink link) {
    return new Link(link.zone().toString(), link.security().name(), link.reason(), link.ds(),
        link.dnskeys().stream().map(k -> new Key(k.tag(), k.flags(), k.algorithm(), DNSSEC.Algorithm.string(k.algorithm()),
            k.secureEntryPoint(), k.trusted())).toList(),
        link.signatures().stream().map(s -> new Signature(s.owner().toString(), s.type(), s.keyTag(), s.result().name(), s.reason()))
            .toList());
  }

  private static String brokenAt(Verdict verdict, List<ChainLink> chain) {
    if (!verdict.isFailure() || chain.isEmpty()) {
      return null;
    }
    return chain.stream().filter(l -> l.security() == Security.BOGUS || l.security() == Security.INDETERMINATE)
        .findFirst().orElse(chain.get(chain.size() - 1)).zone().toString();
  }
}
