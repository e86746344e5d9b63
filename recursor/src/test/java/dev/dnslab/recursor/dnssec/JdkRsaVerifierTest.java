package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * The JDK's RSA over signed data already built says yes exactly where {@code DNSSEC.verify}
 * succeeds, and no (leaving the verdict and its reason to dnsjava) wherever it fails: tampered
 * data, a tampered signature, another key, a key that is no zone key, a time outside the validity
 * window; and no for an algorithm that is not RSA.
 */
class JdkRsaVerifierTest {
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Instant INCEPTION = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EXPIRATION = INCEPTION.plus(Duration.ofDays(30));
  private static final Instant NOW = INCEPTION.plus(Duration.ofDays(1));

  private static KeyPair pair;
  private static KeyPair otherPair;

  @BeforeAll
  static void makeKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    pair = generator.generateKeyPair();
    otherPair = generator.generateKeyPair();
  }

  @ParameterizedTest(name = "algorithm {0}")
  @ValueSource(ints = {5, 7, 8, 10})
  void acceptsWhatDnssecVerifyAccepts(int algorithm) throws Exception {
    Signed signed = sign(pair, algorithm, DNSKEYRecord.Flags.ZONE_KEY);

    DNSSEC.verify(signed.set(), signed.signature(), signed.key(), NOW);
    assertThat(JdkRsaVerifier.verifies(data(signed), signed.signature(), signed.key(), NOW)).isTrue();
  }

  @ParameterizedTest(name = "algorithm {0}")
  @ValueSource(ints = {5, 7, 8, 10})
  void refusesTamperedDataAsDnssecVerifyDoes(int algorithm) throws Exception {
    Signed signed = sign(pair, algorithm, DNSKEYRecord.Flags.ZONE_KEY);
    RRset tampered = new RRset(new ARecord(ZONE, DClass.IN, 300, InetAddress.getByName("192.0.2.2")));

    assertThatThrownBy(() -> DNSSEC.verify(tampered, signed.signature(), signed.key(), NOW))
        .isInstanceOf(DNSSEC.SignatureVerificationException.class);
    assertThat(JdkRsaVerifier.verifies(DNSSEC.digestRRset(signed.signature(), tampered), signed.signature(),
        signed.key(), NOW)).isFalse();
  }

  @ParameterizedTest(name = "algorithm {0}")
  @ValueSource(ints = {8, 10})
  void refusesATamperedSignatureAsDnssecVerifyDoes(int algorithm) throws Exception {
    Signed signed = sign(pair, algorithm, DNSKEYRecord.Flags.ZONE_KEY);
    RRSIGRecord original = signed.signature();
    byte[] bits = original.getSignature();
    bits[bits.length / 3] ^= 0x10;
    RRSIGRecord tampered = withSignature(original, bits);
    RRSIGRecord truncated = withSignature(original, Arrays.copyOf(bits, bits.length - 1));

    assertThatThrownBy(() -> DNSSEC.verify(signed.set(), tampered, signed.key(), NOW))
        .isInstanceOf(DNSSEC.DNSSECException.class);
    assertThat(JdkRsaVerifier.verifies(DNSSEC.digestRRset(tampered, signed.set()), tampered, signed.key(), NOW))
        .isFalse();
    assertThatThrownBy(() -> DNSSEC.verify(signed.set(), truncated, signed.key(), NOW))
        .isInstanceOf(DNSSEC.DNSSECException.class);
    assertThat(JdkRsaVerifier.verifies(DNSSEC.digestRRset(truncated, signed.set()), truncated, signed.key(), NOW))
        .isFalse();
  }

  @Test
  void leavesEverythingElseToDnssecVerify() throws Exception {
    Signed signed = sign(pair, DNSSEC.Algorithm.RSASHA256, DNSKEYRecord.Flags.ZONE_KEY);
    byte[] data = data(signed);
    DNSKEYRecord otherKey = sign(otherPair, DNSSEC.Algorithm.RSASHA256, DNSKEYRecord.Flags.ZONE_KEY).key();
    Signed notAZoneKey = sign(pair, DNSSEC.Algorithm.RSASHA256, 0);
    DNSKEYRecord elsewhere = new DNSKEYRecord(Name.fromConstantString("example.net."), DClass.IN, 3600,
        DNSKEYRecord.Flags.ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.RSASHA256, pair.getPublic());

    assertThat(JdkRsaVerifier.verifies(data, signed.signature(), otherKey, NOW)).as("other key").isFalse();
    assertThat(JdkRsaVerifier.verifies(data, signed.signature(), elsewhere, NOW)).as("other signer").isFalse();
    assertThat(JdkRsaVerifier.verifies(data(notAZoneKey), notAZoneKey.signature(), notAZoneKey.key(), NOW))
        .as("no zone key").isFalse();
    assertThatThrownBy(() -> DNSSEC.verify(notAZoneKey.set(), notAZoneKey.signature(), notAZoneKey.key(), NOW))
        .isInstanceOf(DNSSEC.DNSSECException.class);
    assertThat(JdkRsaVerifier.verifies(data, signed.signature(), signed.key(), EXPIRATION.plusSeconds(1)))
        .as("expired").isFalse();
    assertThat(JdkRsaVerifier.verifies(data, signed.signature(), signed.key(), INCEPTION.minusSeconds(1)))
        .as("not yet valid").isFalse();
  }

  @Test
  void answersNoForOtherAlgorithms() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    Signed signed = sign(generator.generateKeyPair(), DNSSEC.Algorithm.ECDSAP256SHA256, DNSKEYRecord.Flags.ZONE_KEY);

    DNSSEC.verify(signed.set(), signed.signature(), signed.key(), NOW);
    assertThat(JdkRsaVerifier.verifies(data(signed), signed.signature(), signed.key(), NOW)).isFalse();
  }

  private record Signed(RRset set, RRSIGRecord signature, DNSKEYRecord key) {}

  private static byte[] data(Signed signed) {
    return DNSSEC.digestRRset(signed.signature(), signed.set());
  }

  /** An A RRset signed by dnsjava with {@code keys} under {@code algorithm}, the DNSKEY with {@code flags}. */
  private static Signed sign(KeyPair keys, int algorithm, int flags) throws Exception {
    DNSKEYRecord key = new DNSKEYRecord(ZONE, DClass.IN, 3600, flags, DNSKEYRecord.Protocol.DNSSEC, algorithm,
        keys.getPublic());
    RRset set = new RRset(new ARecord(ZONE, DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    return new Signed(set, DNSSEC.sign(set, key, keys.getPrivate(), INCEPTION, EXPIRATION), key);
  }

  private static RRSIGRecord withSignature(RRSIGRecord original, byte[] bits) {
    return new RRSIGRecord(original.getName(), original.getDClass(), original.getTTL(), original.getTypeCovered(),
        original.getAlgorithm(), original.getOrigTTL(), original.getExpire(), original.getTimeSigned(),
        original.getFootprint(), original.getSigner(), bits);
  }
}
