package dev.dnslab.recursor.dnssec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * Checks one RRset's RRSIGs against a zone's validated DNSKEYs (RFC 4035 5.3) with dnsjava's
 * {@link DNSSEC#verify(RRset, RRSIGRecord, DNSKEYRecord, Instant)}: one verifying signature is
 * enough. Every attempt is counted against the {@link WorkBudget}, and at most {@link
 * ValidationLimits#maxKeysPerTag()} keys are tried per RRSIG (KeyTrap, CVE-2023-50387).
 */
final class SignatureChecker {
  /**
   * RFC 8624 3.1 algorithms a validator MUST or RECOMMENDED validate and that the JDK and dnsjava
   * implement: RSASHA1 (5), RSASHA1-NSEC3-SHA1 (7), RSASHA256 (8), RSASHA512 (10), ECDSA P-256 (13)
   * and P-384 (14), Ed25519 (15), Ed448 (16). RSAMD5 (1) and DSA (3, 6) MUST NOT be validated.
   */
  static final Set<Integer> SUPPORTED_ALGORITHMS = Set.of(DNSSEC.Algorithm.RSASHA1, DNSSEC.Algorithm.RSA_NSEC3_SHA1,
      DNSSEC.Algorithm.RSASHA256, DNSSEC.Algorithm.RSASHA512, DNSSEC.Algorithm.ECDSAP256SHA256,
      DNSSEC.Algorithm.ECDSAP384SHA384, DNSSEC.Algorithm.ED25519, DNSSEC.Algorithm.ED448);
  /** RFC 8624 3.3 DS digests: SHA-1 (1), SHA-256 (2), SHA-384 (4); GOST (3) is not implemented. */
  static final Set<Integer> SUPPORTED_DIGESTS = Set.of(DNSSEC.Digest.SHA1, DNSSEC.Digest.SHA256, DNSSEC.Digest.SHA384);

  private SignatureChecker() {}

  /** How checking one RRset ended, with what was tried for the chain of trust. */
  sealed interface Outcome {
    List<ChainLink.Signature> signatures();
  }

  /** A signature verified: the RRSIG and the key. */
  record Verified(RRSIGRecord signature, DNSKEYRecord key, List<ChainLink.Signature> signatures) implements Outcome {}

  /** None verified; {@code edeCode} says why as precisely as RFC 8914 can (7, 8, 10 or 6). */
  record Failed(int edeCode, String reason, List<ChainLink.Signature> signatures) implements Outcome {}

  /**
   * Checks {@code set} (its own RRSIGs, {@link RRset#sigs()}) against {@code keys}, the validated
   * DNSKEYs of {@code zone}; a signature {@code verified} already knows is not computed again.
   *
   * @param where names zone and server for EXTRA-TEXT, e.g. {@code (zone google.com., server ...)}
   */
  static Outcome check(RRset set, Name zone, List<DNSKEYRecord> keys, Instant now, WorkBudget budget, String where,
      VerifiedSignatures verified) {
    String subject = set.getName() + "/" + Type.string(set.getType());
    List<ChainLink.Signature> tried = new ArrayList<>();
    List<RRSIGRecord> signatures = set.sigs().stream().filter(sig -> sig.getTypeCovered() == set.getType()).toList();
    if (signatures.isEmpty()) {
      return new Failed(ExtendedErrorCodeOption.RRSIGS_MISSING, "no RRSIG for " + subject + " " + where, tried);
    }
    int edeCode = ExtendedErrorCodeOption.DNSSEC_BOGUS;
    String reason = null;
    for (RRSIGRecord signature : signatures) {
      String failure = null;
      int code = ExtendedErrorCodeOption.DNSSEC_BOGUS;
      if (!signature.getSigner().equals(zone)) {
        failure = "RRSIG for " + subject + " names signer " + signature.getSigner() + ", not the zone " + zone;
      } else if (signature.getLabels() > set.getName().labels() - 1 - (set.getName().isWild() ? 1 : 0)) {
        // RFC 4035 5.3.1: the labels field may not exceed the owner's label count.
        failure = "RRSIG for " + subject + " has labels " + signature.getLabels() + ", more than its owner";
      } else if (!SUPPORTED_ALGORITHMS.contains(signature.getAlgorithm())) {
        failure = "RRSIG for " + subject + " uses unsupported algorithm " + signature.getAlgorithm();
      } else {
        List<DNSKEYRecord> candidates = candidates(keys, signature, budget.limits().maxKeysPerTag());
        if (candidates.isEmpty()) {
          failure = "no DNSKEY " + signature.getFootprint() + " (algorithm " + signature.getAlgorithm() + ") in " + zone
              + " for the RRSIG of " + subject;
        }
        for (DNSKEYRecord key : candidates) {
          budget.verification();
          try {
            verified.verify(set, signature, key, now);
            // The key's tag is the RRSIG's (candidates() matched them).
            tried.add(ChainLink.Signature.verified(set.getName(), Type.string(set.getType()), key.getFootprint()));
            return new Verified(signature, key, tried);
          } catch (DNSSEC.SignatureExpiredException e) {
            code = ExtendedErrorCodeOption.SIGNATURE_EXPIRED;
            failure = "RRSIG for " + subject + " by key " + signature.getFootprint() + " expired at " + e.getExpiration();
          } catch (DNSSEC.SignatureNotYetValidException e) {
            code = ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID;
            failure = "RRSIG for " + subject + " by key " + signature.getFootprint() + " not valid before "
                + signature.getTimeSigned();
          } catch (DNSSEC.DNSSECException e) {
            failure = "RRSIG for " + subject + " by key " + signature.getFootprint() + " does not verify: " + e.getMessage();
          }
        }
      }
      tried.add(new ChainLink.Signature(set.getName(), Type.string(set.getType()), signature.getFootprint(),
          Security.BOGUS, failure));
      // Keep the most telling failure: a time window (7, 8) explains more than "bogus" (6).
      if (reason == null || edeCode == ExtendedErrorCodeOption.DNSSEC_BOGUS && code != edeCode) {
        edeCode = code;
        reason = failure;
      }
    }
    return new Failed(edeCode, reason + " " + where, tried);
  }

  /**
   * The zone keys (RFC 4034 2.1.1: Zone Key flag set, protocol 3) with the RRSIG's tag and
   * algorithm, at most {@code limit} of them (KeyTrap: real zones rarely have two keys per tag).
   */
  static List<DNSKEYRecord> candidates(List<DNSKEYRecord> keys, RRSIGRecord signature, int limit) {
    return keys.stream()
        .filter(key -> key.getFootprint() == signature.getFootprint() && key.getAlgorithm() == signature.getAlgorithm())
        .filter(SignatureChecker::isZoneKey)
        .limit(limit)
        .toList();
  }

  static boolean isZoneKey(DNSKEYRecord key) {
    return (key.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) != 0 && key.getProtocol() == DNSKEYRecord.Protocol.DNSSEC;
  }
}
