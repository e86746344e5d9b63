package dev.dnslab.recursor.dnssec;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.time.Instant;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;

/**
 * ECDSA P-256 and P-384 signatures (RFC 6605) checked with BouncyCastle, whose curve arithmetic
 * verifies a P-256 signature in a tenth of the time the JDK 17 provider that dnsjava's {@code
 * DNSSEC.verify} gets takes (about 0.1 ms against 1 to 2 ms here): a cold walk checks several in a
 * row. BouncyCastle's PLAIN-ECDSA takes RFC 6605's signature format as it is, r then s, each as
 * long as the curve's order.
 *
 * <p>Only a yes counts: the checks {@code DNSSEC.verify} makes before its arithmetic (RFC 4034
 * 2.1.1 zone key and protocol, the key tag, algorithm and signer the RRSIG names, RFC 4035 5.3.1;
 * the validity window, RFC 4034 3.1.5) are made here too, and anything else (another algorithm, a
 * key or signature that does not verify or does not parse) answers no, for {@code DNSSEC.verify}
 * to decide and explain.
 */
final class EcdsaVerifier {
  private EcdsaVerifier() {}

  /** Created on first use: a validator that meets no ECDSA zone never loads it. */
  private static final class BouncyCastle {
    static final Provider PROVIDER = new BouncyCastleProvider();
  }

  /**
   * Whether {@code signature} by {@code key} verifies over {@code signedData} (RFC 4034 3.1.8.1,
   * {@link DNSSEC#digestRRset}) at {@code now}; false also when this class cannot tell.
   */
  static boolean verifies(byte[] signedData, RRSIGRecord signature, DNSKEYRecord key, Instant now) {
    String algorithm = switch (signature.getAlgorithm()) {
      case DNSSEC.Algorithm.ECDSAP256SHA256 -> "SHA256withPLAIN-ECDSA";
      case DNSSEC.Algorithm.ECDSAP384SHA384 -> "SHA384withPLAIN-ECDSA";
      default -> null;
    };
    if (algorithm == null
        || (key.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) == 0 || key.getProtocol() != DNSKEYRecord.Protocol.DNSSEC
        || key.getAlgorithm() != signature.getAlgorithm() || key.getFootprint() != signature.getFootprint()
        || !key.getName().equals(signature.getSigner())
        || now.isAfter(signature.getExpire()) || now.isBefore(signature.getTimeSigned())) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(algorithm, BouncyCastle.PROVIDER);
      verifier.initVerify(key.getPublicKey());
      verifier.update(signedData);
      return verifier.verify(signature.getSignature());
    } catch (GeneralSecurityException | DNSSEC.DNSSECException | RuntimeException e) {
      return false;
    }
  }
}
