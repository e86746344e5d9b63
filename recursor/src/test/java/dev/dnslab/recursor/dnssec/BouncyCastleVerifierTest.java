package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * BouncyCastle's ECDSA (RFC 6605) and EdDSA (RFC 8080) say yes exactly where {@code
 * DNSSEC.verify} succeeds, and no (leaving the verdict and its reason to dnsjava) wherever it
 * fails: tampered data, a tampered signature, the wrong key, a time outside the validity window;
 * and no for an algorithm they do not handle.
 */
class BouncyCastleVerifierTest {
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Instant INCEPTION = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EXPIRATION = INCEPTION.plus(Duration.ofDays(30));
  private static final Instant NOW = INCEPTION.plus(Duration.ofDays(1));

  @ParameterizedTest(name = "{0}")
  @CsvSource({"secp256r1, 13", "secp384r1, 14", "Ed25519, 15", "Ed448, 16"})
  void acceptsWhatDnssecVerifyAccepts(String keyType, int algorithm) throws Exception {
    Signed signed = sign(keyType, algorithm);

    DNSSEC.verify(signed.set(), signed.signature(), signed.key(), NOW);
    assertThat(BouncyCastleVerifier.verifies(DNSSEC.digestRRset(signed.signature(), signed.set()),
        signed.signature(), signed.key(), NOW)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"secp256r1, 13", "secp384r1, 14", "Ed25519, 15", "Ed448, 16"})
  void refusesTamperedDataAsDnssecVerifyDoes(String keyType, int algorithm) throws Exception {
    Signed signed = sign(keyType, algorithm);
    RRset tampered = new RRset(new ARecord(ZONE, DClass.IN, 300, InetAddress.getByName("192.0.2.2")));
    tampered.addRR(signed.signature());

    assertThatThrownBy(() -> DNSSEC.verify(tampered, signed.signature(), signed.key(), NOW))
        .isInstanceOf(DNSSEC.DNSSECException.class);
    assertThat(BouncyCastleVerifier.verifies(DNSSEC.digestRRset(signed.signature(), tampered), signed.signature(),
        signed.key(), NOW)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"secp256r1, 13", "secp384r1, 14", "Ed25519, 15", "Ed448, 16"})
  void refusesATamperedSignatureAsDnssecVerifyDoes(String keyType, int algorithm) throws Exception {
    Signed signed = sign(keyType, algorithm);
    RRSIGRecord original = signed.signature();
    byte[] bits = original.getSignature();
    bits[bits.length / 3] ^= 0x10;
    RRSIGRecord tampered = new RRSIGRecord(original.getName(), original.getDClass(), original.getTTL(),
        original.getTypeCovered(), original.getAlgorithm(), original.getOrigTTL(), original.getExpire(),
        original.getTimeSigned(), original.getFootprint(), original.getSigner(), bits);

    assertThatThrownBy(() -> DNSSEC.verify(signed.set(), tampered, signed.key(), NOW))
        .isInstanceOf(DNSSEC.DNSSECException.class);
    assertThat(BouncyCastleVerifier.verifies(DNSSEC.digestRRset(tampered, signed.set()), tampered, signed.key(), NOW))
        .isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"secp256r1, 13", "secp384r1, 14", "Ed25519, 15", "Ed448, 16"})
  void leavesEverythingElseToDnssecVerify(String keyType, int algorithm) throws Exception {
    Signed signed = sign(keyType, algorithm);
    byte[] data = DNSSEC.digestRRset(signed.signature(), signed.set());
    byte[] flipped = data.clone();
    flipped[flipped.length - 1] ^= 1;
    DNSKEYRecord otherKey = sign(keyType, algorithm).key();

    assertThat(BouncyCastleVerifier.verifies(flipped, signed.signature(), signed.key(), NOW)).as("other data").isFalse();
    assertThat(BouncyCastleVerifier.verifies(data, signed.signature(), otherKey, NOW)).as("other key").isFalse();
    assertThat(BouncyCastleVerifier.verifies(data, signed.signature(), signed.key(), EXPIRATION.plusSeconds(1)))
        .as("expired").isFalse();
    assertThat(BouncyCastleVerifier.verifies(data, signed.signature(), signed.key(), INCEPTION.minusSeconds(1)))
        .as("not yet valid").isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"secp256r1, 13", "secp384r1, 14"})
  void refusesAKeyOffTheCurveAsDnssecVerifyDoes(String keyType, int algorithm) throws Exception {
    Signed signed = sign(keyType, algorithm);
    DNSKEYRecord original = signed.key();
    byte[] point = original.getKey();
    point[point.length - 1] ^= 1; // y no longer fits x: not a point on the curve
    DNSKEYRecord offCurve = new DNSKEYRecord(original.getName(), original.getDClass(), original.getTTL(),
        original.getFlags(), original.getProtocol(), original.getAlgorithm(), point);
    // The same signature, naming the changed key's tag, so that only the point is wrong.
    RRSIGRecord sig = signed.signature();
    RRSIGRecord naming = new RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(), sig.getTypeCovered(),
        sig.getAlgorithm(), sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(), offCurve.getFootprint(),
        sig.getSigner(), sig.getSignature());
    RRset set = new RRset(signed.set().first());
    set.addRR(naming);

    assertThatThrownBy(() -> DNSSEC.verify(set, naming, offCurve, NOW)).isInstanceOf(DNSSEC.DNSSECException.class);
    assertThat(BouncyCastleVerifier.verifies(DNSSEC.digestRRset(naming, set), naming, offCurve, NOW)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"RSA, 8"})
  void answersNoForOtherAlgorithms(String keyType, int algorithm) throws Exception {
    Signed signed = sign(keyType, algorithm);

    DNSSEC.verify(signed.set(), signed.signature(), signed.key(), NOW);
    assertThat(BouncyCastleVerifier.verifies(DNSSEC.digestRRset(signed.signature(), signed.set()),
        signed.signature(), signed.key(), NOW)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"secp256r1, 13", "secp384r1, 14"})
  void judgesEachSignatureAlikeWhenTheKeyWasDecodedBefore(String keyType, int algorithm) throws Exception {
    Signed signed = sign(keyType, algorithm);
    byte[] data = DNSSEC.digestRRset(signed.signature(), signed.set());
    RRset tampered = new RRset(new ARecord(ZONE, DClass.IN, 300, InetAddress.getByName("192.0.2.2")));
    tampered.addRR(signed.signature());
    byte[] tamperedData = DNSSEC.digestRRset(signed.signature(), tampered);

    assertThat(BouncyCastleVerifier.verifies(data, signed.signature(), signed.key(), NOW)).isTrue();
    // The key decoded once (its precomputed multiples kept): every later check still does the arithmetic.
    assertThat(BouncyCastleVerifier.verifies(tamperedData, signed.signature(), signed.key(), NOW)).isFalse();
    assertThat(BouncyCastleVerifier.verifies(data, signed.signature(), signed.key(), NOW)).isTrue();
    BouncyCastleVerifier.forgetKeys();
    assertThat(BouncyCastleVerifier.verifies(tamperedData, signed.signature(), signed.key(), NOW)).isFalse();
    assertThat(BouncyCastleVerifier.verifies(data, signed.signature(), signed.key(), NOW)).isTrue();
  }

  private record Signed(RRset set, RRSIGRecord signature, DNSKEYRecord key) {}

  /** An A RRset signed by dnsjava with a new key: an EC curve name, or a JDK key type. */
  private static Signed sign(String keyType, int algorithm) throws Exception {
    KeyPairGenerator generator;
    if (keyType.startsWith("secp")) {
      generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(keyType));
    } else {
      generator = KeyPairGenerator.getInstance(keyType);
    }
    KeyPair pair = generator.generateKeyPair();
    DNSKEYRecord key = new DNSKEYRecord(ZONE, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY,
        DNSKEYRecord.Protocol.DNSSEC, algorithm, pair.getPublic());
    RRset set = new RRset(new ARecord(ZONE, DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    return new Signed(set, DNSSEC.sign(set, key, pair.getPrivate(), INCEPTION, EXPIRATION), key);
  }
}
