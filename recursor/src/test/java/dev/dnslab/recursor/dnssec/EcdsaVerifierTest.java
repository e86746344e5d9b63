package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

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
 * BouncyCastle's ECDSA says yes exactly where {@code DNSSEC.verify} succeeds, and no (leaving the
 * verdict and its reason to dnsjava) for anything else: a bad signature, the wrong key, a time
 * outside the validity window, another algorithm.
 */
class EcdsaVerifierTest {
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Instant INCEPTION = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EXPIRATION = INCEPTION.plus(Duration.ofDays(30));
  private static final Instant NOW = INCEPTION.plus(Duration.ofDays(1));

  @ParameterizedTest(name = "{0}")
  @CsvSource({"secp256r1, 13", "secp384r1, 14"})
  void acceptsWhatDnssecVerifyAccepts(String curve, int algorithm) throws Exception {
    Signed signed = sign(curve, algorithm);

    DNSSEC.verify(signed.set(), signed.signature(), signed.key(), NOW);
    assertThat(EcdsaVerifier.verifies(DNSSEC.digestRRset(signed.signature(), signed.set()), signed.signature(),
        signed.key(), NOW)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"secp256r1, 13", "secp384r1, 14"})
  void leavesEverythingElseToDnssecVerify(String curve, int algorithm) throws Exception {
    Signed signed = sign(curve, algorithm);
    byte[] data = DNSSEC.digestRRset(signed.signature(), signed.set());
    byte[] flipped = data.clone();
    flipped[flipped.length - 1] ^= 1;
    DNSKEYRecord otherKey = sign(curve, algorithm).key();

    assertThat(EcdsaVerifier.verifies(flipped, signed.signature(), signed.key(), NOW)).as("other data").isFalse();
    assertThat(EcdsaVerifier.verifies(data, signed.signature(), otherKey, NOW)).as("other key").isFalse();
    assertThat(EcdsaVerifier.verifies(data, signed.signature(), signed.key(), EXPIRATION.plusSeconds(1)))
        .as("expired").isFalse();
    assertThat(EcdsaVerifier.verifies(data, signed.signature(), signed.key(), INCEPTION.minusSeconds(1)))
        .as("not yet valid").isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"Ed25519, 15"})
  void answersNoForOtherAlgorithms(String keyType, int algorithm) throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance(keyType).generateKeyPair();
    DNSKEYRecord key = new DNSKEYRecord(ZONE, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY,
        DNSKEYRecord.Protocol.DNSSEC, algorithm, pair.getPublic());
    RRset set = new RRset(new ARecord(ZONE, DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    RRSIGRecord signature = DNSSEC.sign(set, key, pair.getPrivate(), INCEPTION, EXPIRATION);

    DNSSEC.verify(set, signature, key, NOW);
    assertThat(EcdsaVerifier.verifies(DNSSEC.digestRRset(signature, set), signature, key, NOW)).isFalse();
  }

  private record Signed(RRset set, RRSIGRecord signature, DNSKEYRecord key) {}

  private static Signed sign(String curve, int algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    KeyPair pair = generator.generateKeyPair();
    DNSKEYRecord key = new DNSKEYRecord(ZONE, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY,
        DNSKEYRecord.Protocol.DNSSEC, algorithm, pair.getPublic());
    RRset set = new RRset(new ARecord(ZONE, DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    return new Signed(set, DNSSEC.sign(set, key, pair.getPrivate(), INCEPTION, EXPIRATION), key);
  }
}
