package dev.dnslab.recursor.dnssec;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.Ed448Signer;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.WNafUtil;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Curve;
import org.bouncycastle.math.ec.custom.sec.SecP384R1Curve;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;

/**
 * ECDSA (RFC 6605) and EdDSA (RFC 8080) signatures checked with BouncyCastle, many times faster
 * than the JDK 17 providers that dnsjava's {@code DNSSEC.verify} gets: about 0.1 ms against 1 to
 * 2 ms for a P-256 signature, and 0.08 to 0.13 ms against 0.6 to 0.8 ms for Ed25519 and Ed448 here.
 * A cold walk checks several in a row, and so does every answer from a zone not seen before.
 *
 * <p>ECDSA goes through BouncyCastle's low-level {@link ECDSASigner} over the named curve's
 * parameters, built once: RFC 6605 4's public key is the point's x then y, each as long as the
 * field, and its signature r then s, each as long as the curve's order, as PLAIN-ECDSA takes them.
 * Reusing the one base point G keeps BouncyCastle's precomputed multiples of G from one
 * verification to the next (the JCA provider converts the curve, G with it, for each key, and
 * computes them again: a third of a cold walk's ECDSA time). EdDSA goes through its low-level
 * signers, which take RFC 8080's formats as they are: the DNSKEY's public key is the raw 32-byte
 * (Ed25519) or 57-byte (Ed448) key of RFC 8032 5.1.5 / 5.2.5, the signature the raw 64 or 114
 * bytes, and RFC 8080 4 signs with pure Ed25519 and with Ed448 under an empty context.
 *
 * <p>Cold as well as warm (2026-12-05, JDK 17.0.15, one fresh JVM per algorithm and provider,
 * process CPU with the JIT's threads, 20 rounds of a cold walk's share: 10 P-256 verifications over
 * 6 keys decoded each round, 4 Ed25519, 3 RSA-2048): P-256 220-230 ms here against 520-560 ms for the
 * JDK's SHA256withECDSAinP1363Format (by round 200 0.17 against 0.8 ms a signature), Ed25519 100-110
 * against 250-260 ms. RSA is left to the JDK ({@link JdkRsaVerifier}): 100 ms against 190 for
 * BouncyCastle's RSADigestSigner, whose classes cost a first verification 78 ms against 22, and the
 * same once warm (both are BigInteger.modPow). A cold walk verifies 18 signatures (11 P-256, 4
 * Ed25519, 3 RSA), none twice ({@link VerifiedSignatures}).
 *
 * <p>Only a yes counts: the checks {@code DNSSEC.verify} makes before its arithmetic ({@link
 * VerifyChecks}) are made here too, and anything else (another algorithm, a key or signature that
 * does not verify or does not parse) answers no, for {@code DNSSEC.verify} to decide and explain.
 */
final class BouncyCastleVerifier {
  /** RFC 8080 4: Ed448 signs with an empty context. */
  private static final byte[] NO_CONTEXT = new byte[0];

  /**
   * ECDSA public keys decoded, by curve and key bytes: BouncyCastle keeps its precomputed multiples
   * of a point on the point, so a key that signs several RRsets (a TLD's ZSK signs every DS of a
   * walk) pays for them once, about half of each further verification. A parsed key vouches for
   * nothing: whether a key is trusted is the chain of trust's business. Bounded; forgotten with
   * the verified signatures ({@link #forgetKeys}), so a flushed validator decodes every key again.
   */
  private static final int KEY_CAPACITY = 256;

  private static final Map<ByteBuffer, ECPublicKeyParameters> KEYS = new ConcurrentHashMap<>();

  private BouncyCastleVerifier() {}

  /** Forgets the decoded keys (with the verified signatures: a flush, a new trust anchor). */
  static void forgetKeys() {
    KEYS.clear();
  }

  /**
   * The curves' parameters, each created on first use: a validator that meets no ECDSA zone never
   * builds them, and one that meets only P-256 never builds P-384. Built from the curve's class and
   * its base point (SEC 2 2.4.2 and 2.5.1, FIPS 186-4 D.1.2.3 and D.1.2.4) rather than looked up
   * in BouncyCastle's CustomNamedCurves, whose static table names every curve it knows: its first
   * use loaded 32 parameter holders, 30 curve classes and 4 tables of object identifiers into an
   * idle recursor that had validated one ECDSA zone. The base point is prepared for fixed-point
   * multiplication as CustomNamedCurves prepares it (WNafUtil.configureBasepoint).
   */
  private static final class P256 {
    static final ECDomainParameters DOMAIN = domain(new SecP256R1Curve(),
        "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296",
        "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5");
  }

  /** P-384's parameters, created on first use (see {@link P256}). */
  private static final class P384 {
    static final ECDomainParameters DOMAIN = domain(new SecP384R1Curve(),
        "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A385502F25DBF55296C3A545E3872760AB7",
        "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C00A60B1CE1D7E819D7A431D7C90EA0E5F");
  }

  private static ECDomainParameters domain(ECCurve curve, String x, String y) {
    ECPoint g = curve.createPoint(new BigInteger(x, 16), new BigInteger(y, 16)).normalize();
    WNafUtil.configureBasepoint(g);
    return new ECDomainParameters(curve, g, curve.getOrder(), curve.getCofactor());
  }

  /**
   * Whether {@code signature} by {@code key} verifies over {@code signedData} (RFC 4034 3.1.8.1,
   * {@link DNSSEC#digestRRset}) at {@code now}; false also when this class cannot tell.
   */
  static boolean verifies(byte[] signedData, RRSIGRecord signature, DNSKEYRecord key, Instant now) {
    int algorithm = signature.getAlgorithm();
    if (!handles(algorithm) || !VerifyChecks.pass(signature, key, now)) {
      return false;
    }
    try {
      return switch (algorithm) {
        case DNSSEC.Algorithm.ECDSAP256SHA256 -> ecdsa(P256.DOMAIN, new SHA256Digest(), signedData, signature, key);
        case DNSSEC.Algorithm.ECDSAP384SHA384 -> ecdsa(P384.DOMAIN, new SHA384Digest(), signedData, signature, key);
        default -> eddsa(algorithm, signedData, signature, key);
      };
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean handles(int algorithm) {
    return algorithm == DNSSEC.Algorithm.ECDSAP256SHA256 || algorithm == DNSSEC.Algorithm.ECDSAP384SHA384
        || algorithm == DNSSEC.Algorithm.ED25519 || algorithm == DNSSEC.Algorithm.ED448;
  }

  /**
   * A key or signature of the wrong length, or a key that is not a point on the curve (decodePoint
   * and ECPublicKeyParameters check it), is a no, for dnsjava to explain.
   */
  private static boolean ecdsa(ECDomainParameters domain, Digest digest, byte[] signedData, RRSIGRecord signature,
      DNSKEYRecord key) {
    int fieldLength = (domain.getCurve().getFieldSize() + 7) / 8;
    int orderLength = (domain.getN().bitLength() + 7) / 8;
    byte[] publicKey = key.getKey();
    byte[] rs = signature.getSignature();
    if (publicKey.length != 2 * fieldLength || rs.length != 2 * orderLength) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, publicKey(domain, publicKey));
    byte[] hash = new byte[digest.getDigestSize()];
    digest.update(signedData, 0, signedData.length);
    digest.doFinal(hash, 0);
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(rs, 0, orderLength));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(rs, orderLength, rs.length));
    return verifier.verifySignature(hash, r, s);
  }

  private static ECPublicKeyParameters publicKey(ECDomainParameters domain, byte[] key) {
    // SEC 1 2.3.3: an uncompressed point, 0x04 then x then y; its length tells the curves apart.
    byte[] uncompressed = new byte[1 + key.length];
    uncompressed[0] = 0x04;
    System.arraycopy(key, 0, uncompressed, 1, key.length);
    ByteBuffer id = ByteBuffer.wrap(uncompressed);
    ECPublicKeyParameters known = KEYS.get(id);
    if (known != null) {
      return known;
    }
    ECPoint q = domain.getCurve().decodePoint(uncompressed);
    ECPublicKeyParameters decoded = new ECPublicKeyParameters(q, domain);
    if (KEYS.size() >= KEY_CAPACITY) {
      KEYS.clear(); // a lab meets a few dozen keys; past the bound, start over
    }
    KEYS.put(id, decoded);
    return decoded;
  }

  /**
   * A key of the wrong length, or one that is not a point on the curve, throws
   * IllegalArgumentException from its parameters: a no, for dnsjava to explain.
   */
  private static boolean eddsa(int algorithm, byte[] signedData, RRSIGRecord signature, DNSKEYRecord key) {
    byte[] publicKey = key.getKey();
    Signer verifier;
    if (algorithm == DNSSEC.Algorithm.ED25519) {
      verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(publicKey));
    } else {
      verifier = new Ed448Signer(NO_CONTEXT);
      verifier.init(false, new Ed448PublicKeyParameters(publicKey));
    }
    verifier.update(signedData, 0, signedData.length);
    return verifier.verifySignature(signature.getSignature());
  }
}
