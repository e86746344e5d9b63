package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

class CheckedKeyPairsTest {
  private static final Name ZONE = Name.fromConstantString("lab.test.");

  @Test
  void knowsARememberedPairByItsBytesAndNoOtherCombination() throws Exception {
    KeyPair one = DnssecAlgorithm.ECDSAP256SHA256.generateKeyPair();
    KeyPair two = DnssecAlgorithm.ECDSAP256SHA256.generateKeyPair();
    DNSKEYRecord keyOne = dnskey(one);
    DNSKEYRecord keyTwo = dnskey(two);
    CheckedKeyPairs checked = new CheckedKeyPairs();

    checked.remember(keyOne, one.getPrivate());

    assertThat(checked.verified(keyOne, one.getPrivate())).isTrue();
    assertThat(checked.verified(dnskey(one), one.getPrivate())).as("the same key, read again").isTrue();
    assertThat(checked.verified(keyOne, two.getPrivate())).as("another pair's private key").isFalse();
    assertThat(checked.verified(keyTwo, one.getPrivate())).isFalse();
    assertThat(checked.verified(keyTwo, two.getPrivate())).as("never checked").isFalse();
  }

  @Test
  void startsOverWhenFullRatherThanGrowing() throws Exception {
    KeyPair pair = DnssecAlgorithm.ED25519.generateKeyPair();
    CheckedKeyPairs checked = new CheckedKeyPairs();
    DNSKEYRecord first = dnskey(DnssecAlgorithm.ED25519, pair, 0);
    checked.remember(first, pair.getPrivate());
    for (int i = 1; i < CheckedKeyPairs.MAX_PAIRS; i++) {
      checked.remember(dnskey(DnssecAlgorithm.ED25519, pair, i), pair.getPrivate());
    }
    assertThat(checked.verified(first, pair.getPrivate())).isTrue();

    checked.remember(dnskey(DnssecAlgorithm.ED25519, pair, CheckedKeyPairs.MAX_PAIRS), pair.getPrivate());

    assertThat(checked.verified(first, pair.getPrivate())).isFalse();
    assertThat(checked.verified(dnskey(DnssecAlgorithm.ED25519, pair, CheckedKeyPairs.MAX_PAIRS), pair.getPrivate())).isTrue();
  }

  private static DNSKEYRecord dnskey(KeyPair pair) throws Exception {
    return dnskey(DnssecAlgorithm.ECDSAP256SHA256, pair, 0);
  }

  /** A distinct record per {@code ttl}: the canonical wire form holds the TTL. */
  private static DNSKEYRecord dnskey(DnssecAlgorithm algorithm, KeyPair pair, long ttl) throws Exception {
    return new DNSKEYRecord(ZONE, DClass.IN, ttl, 256, DNSKEYRecord.Protocol.DNSSEC, algorithm.number(), pair.getPublic());
  }
}
