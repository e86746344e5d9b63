package dev.dnslab.recursor.dnssec;

import java.time.Instant;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;

/**
 * The checks {@link DNSSEC#verify(org.xbill.DNS.RRset, RRSIGRecord, DNSKEYRecord, Instant)} makes
 * before its arithmetic, for the verifiers that do the arithmetic themselves ({@link
 * BouncyCastleVerifier}, {@link JdkRsaVerifier}): RFC 4034 2.1.1 zone key and protocol, the key
 * tag, algorithm and signer the RRSIG names (RFC 4035 5.3.1), the validity window (RFC 4034
 * 3.1.5). A verifier that finds any of them failing answers no, and {@code DNSSEC.verify} decides
 * and explains.
 */
final class VerifyChecks {
  private VerifyChecks() {}

  /** Whether {@code key} may have made {@code signature} and {@code now} lies in its validity window. */
  static boolean pass(RRSIGRecord signature, DNSKEYRecord key, Instant now) {
    int algorithm = signature.getAlgorithm();
    return (key.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) != 0 && key.getProtocol() == DNSKEYRecord.Protocol.DNSSEC
        && key.getAlgorithm() == algorithm && key.getFootprint() == signature.getFootprint()
        && key.getName().equals(signature.getSigner())
        && !now.isAfter(signature.getExpire()) && !now.isBefore(signature.getTimeSigned());
  }
}
