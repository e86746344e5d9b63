package dev.dnslab.recursor.dnssec;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;

/**
 * RSA signatures (RFC 3110, RFC 5702) checked with the JDK over signed data already built, the
 * same arithmetic {@code DNSSEC.verify} does (dnsjava's JCA name for the algorithm, {@link
 * DNSSEC#algString}, and its key conversion, {@link DNSKEYRecord#getPublicKey}, kept on the record),
 * without building the signed data a second time: {@link VerifiedSignatures} has built it already
 * ({@link DNSSEC#digestRRset}) to key its memo, and verify would sort and render the RRset again.
 * BouncyCastle is no faster here (see {@link BouncyCastleVerifier}): both are BigInteger.modPow.
 *
 * <p>Only a yes counts, as with {@link BouncyCastleVerifier}: {@link VerifyChecks} first, and
 * anything else (another algorithm, a key that does not parse, a signature that does not verify)
 * answers no, for {@code DNSSEC.verify} to decide and explain.
 */
final class JdkRsaVerifier {
  private JdkRsaVerifier() {}

  /**
   * Whether {@code signature} by {@code key} verifies over {@code signedData} (RFC 4034 3.1.8.1,
   * {@link DNSSEC#digestRRset}) at {@code now}; false also when this class cannot tell.
   */
  static boolean verifies(byte[] signedData, RRSIGRecord signature, DNSKEYRecord key, Instant now) {
    if (!handles(signature.getAlgorithm()) || !VerifyChecks.pass(signature, key, now)) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(DNSSEC.algString(signature.getAlgorithm()));
      verifier.initVerify(key.getPublicKey());
      verifier.update(signedData);
      return verifier.verify(signature.getSignature());
    } catch (DNSSEC.DNSSECException | GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** RFC 8624 3.1's RSA algorithms; RSAMD5 (1) MUST NOT be validated. */
  private static boolean handles(int algorithm) {
    return algorithm == DNSSEC.Algorithm.RSASHA1 || algorithm == DNSSEC.Algorithm.RSA_NSEC3_SHA1
        || algorithm == DNSSEC.Algorithm.RSASHA256 || algorithm == DNSSEC.Algorithm.RSASHA512;
  }
}
