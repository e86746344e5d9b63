package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

class CheckedKeyPairsTest {
  private static final Name ZONE = Name.fromConstantString("lab.test.");

  /** The DNSKEY of every pair a check ran on. */
  private final List<DNSKEYRecord> checked = new ArrayList<>();
  /** A check that notes the pair and passes. */
  private final CheckedKeyPairs.PairCheck passes = (dnskey, privateKey) -> checked.add(dnskey);

  @Test
  void checksAPairOnceAndAnyOtherCombinationAgain() throws Exception {
    KeyPair one = DnssecAlgorithm.ECDSAP256SHA256.generateKeyPair();
    KeyPair two = DnssecAlgorithm.ECDSAP256SHA256.generateKeyPair();
    DNSKEYRecord keyOne = dnskey(one);
    DNSKEYRecord keyTwo = dnskey(two);
    CheckedKeyPairs pairs = new CheckedKeyPairs();

    pairs.checkOnce(keyOne, one.getPrivate(), passes);
    pairs.checkOnce(keyOne, one.getPrivate(), passes);
    pairs.checkOnce(dnskey(one), one.getPrivate(), passes); // the same key, read again
    assertThat(checked).as("one pair, the same bytes three times").hasSize(1);

    pairs.checkOnce(keyOne, two.getPrivate(), passes); // another pair's private key
    pairs.checkOnce(keyTwo, one.getPrivate(), passes);
    pairs.checkOnce(keyTwo, two.getPrivate(), passes); // never checked
    assertThat(checked).hasSize(4);
  }

  @Test
  void checksAChangedPairAgain() throws Exception {
    KeyPair pair = DnssecAlgorithm.ED25519.generateKeyPair();
    CheckedKeyPairs pairs = new CheckedKeyPairs();
    pairs.checkOnce(dnskey(DnssecAlgorithm.ED25519, pair, 0), pair.getPrivate(), passes);

    pairs.checkOnce(dnskey(DnssecAlgorithm.ED25519, pair, 3600), pair.getPrivate(), passes);

    assertThat(checked).as("a DNSKEY record of other bytes is another pair").hasSize(2);
  }

  @Test
  void remembersNoPairThatFailedItsCheck() throws Exception {
    KeyPair one = DnssecAlgorithm.ECDSAP256SHA256.generateKeyPair();
    KeyPair two = DnssecAlgorithm.ECDSAP256SHA256.generateKeyPair();
    DNSKEYRecord keyOne = dnskey(one);
    CheckedKeyPairs pairs = new CheckedKeyPairs();
    CheckedKeyPairs.PairCheck signsAndVerifies = (dnskey, privateKey) -> {
      passes.check(dnskey, privateKey);
      RRset probe = new RRset(dnskey);
      Instant now = Instant.now();
      DNSSEC.verify(probe, DNSSEC.sign(probe, dnskey, privateKey, now, now.plusSeconds(60)), dnskey, now);
    };

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> pairs.checkOnce(keyOne, two.getPrivate(), signsAndVerifies))
          .isInstanceOf(DNSSEC.SignatureVerificationException.class);
    }

    assertThat(checked).as("a pair that failed is checked again").hasSize(2);
  }

  @Test
  void aRememberedPairIsNotCheckedButTheSameKeysWithAnotherPairsHalfAre() throws Exception {
    KeyPair made = DnssecAlgorithm.ECDSAP256SHA256.generateKeyPair();
    KeyPair other = DnssecAlgorithm.ECDSAP256SHA256.generateKeyPair();
    CheckedKeyPairs pairs = new CheckedKeyPairs();

    pairs.remember(dnskey(made), made.getPrivate());

    pairs.checkOnce(dnskey(made), made.getPrivate(), passes); // read back: the same bytes
    assertThat(checked).as("a pair remembered as made").isEmpty();
    pairs.checkOnce(dnskey(made), other.getPrivate(), passes); // a private key swapped on disk
    pairs.checkOnce(dnskey(other), made.getPrivate(), passes);
    assertThat(checked).hasSize(2);
  }

  @Test
  void startsOverWhenFullRatherThanGrowing() throws Exception {
    KeyPair pair = DnssecAlgorithm.ED25519.generateKeyPair();
    PrivateKey privateKey = pair.getPrivate();
    CheckedKeyPairs pairs = new CheckedKeyPairs();
    DNSKEYRecord first = dnskey(DnssecAlgorithm.ED25519, pair, 0);
    for (int i = 0; i < CheckedKeyPairs.MAX_PAIRS; i++) {
      pairs.checkOnce(dnskey(DnssecAlgorithm.ED25519, pair, i), privateKey, passes);
    }
    pairs.checkOnce(first, privateKey, passes);
    assertThat(checked).as("all remembered while not full").hasSize(CheckedKeyPairs.MAX_PAIRS);

    pairs.checkOnce(dnskey(DnssecAlgorithm.ED25519, pair, CheckedKeyPairs.MAX_PAIRS), privateKey, passes);
    pairs.checkOnce(first, privateKey, passes);

    assertThat(checked).as("the first pair forgotten when the set started over").hasSize(CheckedKeyPairs.MAX_PAIRS + 2);
  }

  private static DNSKEYRecord dnskey(KeyPair pair) throws Exception {
    return dnskey(DnssecAlgorithm.ECDSAP256SHA256, pair, 0);
  }

  /** A distinct record per {@code ttl}: the canonical wire form holds the TTL. */
  private static DNSKEYRecord dnskey(DnssecAlgorithm algorithm, KeyPair pair, long ttl) throws Exception {
    return new DNSKEYRecord(ZONE, DClass.IN, ttl, 256, DNSKEYRecord.Protocol.DNSSEC, algorithm.number(), pair.getPublic());
  }
}
