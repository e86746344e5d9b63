package dev.dnslab.recursor.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/**
 * The memo of verified signatures: a signature over the same data with the same key is verified
 * once, a wildcard's RRSIG serving every name it expands to, while the validity window, the data,
 * the signature and the key are checked as {@code DNSSEC.verify} checks them.
 */
class VerifiedSignaturesTest {
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final Name WILDCARD = Name.fromConstantString("*.blog.example.");
  private static final Instant INCEPTION = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant EXPIRATION = INCEPTION.plus(Duration.ofDays(30));
  private static final Instant NOW = INCEPTION.plus(Duration.ofDays(1));

  private static KeyPair pair;
  private static DNSKEYRecord key;

  @BeforeAll
  static void makeKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    pair = generator.generateKeyPair();
    key = new DNSKEYRecord(ZONE, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC,
        DNSSEC.Algorithm.ECDSAP256SHA256, pair.getPublic());
  }

  @Test
  void verifiesAWildcardsSignatureOnceForEveryNameItExpandsTo() throws Exception {
    RRSIGRecord signature = sign(set(WILDCARD, "192.0.2.80"));
    VerifiedSignatures verified = new VerifiedSignatures();

    // RFC 4035 5.3.4: each expansion carries the wildcard's own RRSIG over the wildcard's data.
    verified.verify(expanded("a.blog.example.", "192.0.2.80", signature), signature, key, NOW);
    verified.verify(expanded("b.blog.example.", "192.0.2.80", signature), signature, key, NOW);

    assertThat(verified.size()).isEqualTo(1);
  }

  @Test
  void rejectsOtherDataUnderARememberedSignature() throws Exception {
    RRSIGRecord signature = sign(set(WILDCARD, "192.0.2.80"));
    VerifiedSignatures verified = new VerifiedSignatures();
    verified.verify(expanded("a.blog.example.", "192.0.2.80", signature), signature, key, NOW);

    assertThatThrownBy(() -> verified.verify(expanded("a.blog.example.", "192.0.2.66", signature), signature, key, NOW))
        .isInstanceOf(DNSSEC.DNSSECException.class);
    assertThat(verified.size()).isEqualTo(1);
  }

  @Test
  void checksTheValidityWindowOfARememberedSignatureAgain() throws Exception {
    RRset set = set(WILDCARD, "192.0.2.80");
    RRSIGRecord signature = sign(set);
    VerifiedSignatures verified = new VerifiedSignatures();
    verified.verify(set, signature, key, NOW);

    assertThatThrownBy(() -> verified.verify(set, signature, key, EXPIRATION.plusSeconds(1)))
        .isInstanceOf(DNSSEC.SignatureExpiredException.class);
    assertThatThrownBy(() -> verified.verify(set, signature, key, INCEPTION.minusSeconds(1)))
        .isInstanceOf(DNSSEC.SignatureNotYetValidException.class);
  }

  @Test
  void neverRemembersASignatureThatDoesNotVerify() throws Exception {
    RRset set = set(WILDCARD, "192.0.2.80");
    RRSIGRecord good = sign(set);
    byte[] bytes = good.getSignature().clone();
    bytes[bytes.length - 1] ^= 1;
    RRSIGRecord corrupt = new RRSIGRecord(good.getName(), good.getDClass(), good.getTTL(), good.getTypeCovered(),
        good.getAlgorithm(), good.getOrigTTL(), good.getExpire(), good.getTimeSigned(), good.getFootprint(),
        good.getSigner(), bytes);
    VerifiedSignatures verified = new VerifiedSignatures();

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> verified.verify(set, corrupt, key, NOW)).isInstanceOf(DNSSEC.DNSSECException.class);
    }
    assertThat(verified.size()).isZero();
  }

  @Test
  void staysWithinItsCapacity() throws Exception {
    VerifiedSignatures verified = new VerifiedSignatures(2);

    for (int i = 1; i <= 5; i++) {
      RRset set = set(Name.fromString("host" + i + ".example."), "192.0.2." + i);
      verified.verify(set, sign(set), key, NOW);
    }

    assertThat(verified.size()).isLessThanOrEqualTo(2);
  }

  @Test
  void forgetsEverythingWhenCleared() throws Exception {
    RRset set = set(WILDCARD, "192.0.2.80");
    VerifiedSignatures verified = new VerifiedSignatures();
    verified.verify(set, sign(set), key, NOW);

    verified.clear();

    assertThat(verified.size()).isZero();
  }

  @Test
  void verifiesRsaOnceAndExplainsItsFailuresAsDnssecVerifyDoes() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair rsa = generator.generateKeyPair();
    DNSKEYRecord rsaKey = new DNSKEYRecord(ZONE, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY,
        DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.RSASHA256, rsa.getPublic());
    RRset set = set(WILDCARD, "192.0.2.80");
    RRSIGRecord signature = DNSSEC.sign(set, rsaKey, rsa.getPrivate(), INCEPTION, EXPIRATION);
    VerifiedSignatures verified = new VerifiedSignatures();

    verified.verify(expanded("a.blog.example.", "192.0.2.80", signature), signature, rsaKey, NOW);
    verified.verify(expanded("b.blog.example.", "192.0.2.80", signature), signature, rsaKey, NOW);

    assertThat(verified.size()).isEqualTo(1);
    assertThatThrownBy(() -> verified.verify(expanded("a.blog.example.", "192.0.2.66", signature), signature, rsaKey,
        NOW)).isInstanceOf(DNSSEC.SignatureVerificationException.class).hasMessageContaining("doesn't validate");
    assertThatThrownBy(() -> verified.verify(set(WILDCARD, "192.0.2.66"), signature, rsaKey, EXPIRATION.plusSeconds(1)))
        .isInstanceOf(DNSSEC.SignatureExpiredException.class);
    assertThat(verified.size()).isEqualTo(1);
  }

  private static RRset set(Name owner, String address) throws Exception {
    return new RRset(new ARecord(owner, DClass.IN, 300, InetAddress.getByName(address)));
  }

  private static RRSIGRecord sign(RRset set) throws Exception {
    return DNSSEC.sign(set, key, pair.getPrivate(), INCEPTION, EXPIRATION);
  }

  /** The RRset an authority sends for {@code name} under the wildcard: its name, the wildcard's RRSIG. */
  private static RRset expanded(String name, String address, RRSIGRecord signature) throws Exception {
    Name owner = Name.fromString(name);
    RRset set = set(owner, address);
    set.addRR((RRSIGRecord) Record.newRecord(owner, signature.getType(), signature.getDClass(), signature.getTTL(),
        signature.rdataToWireCanonical()));
    return set;
  }
}
