package dev.dnslab.core.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.dnssec.DnssecAlgorithm;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/** The crafting steps of the DNSSEC faults, on their own; the scenarios test them end to end. */
class DnssecFaultsTest {
  private static final Name ZONE = Name.fromConstantString("google.com.");

  @ParameterizedTest
  @EnumSource(DnssecAlgorithm.class)
  void craftsDistinctKeysThatShareTheRealKeysTag(DnssecAlgorithm algorithm) throws Exception {
    DNSKEYRecord real = dnskey(algorithm, algorithm.generateKeyPair());

    List<DNSKEYRecord> colliding = KeyTrapFault.colliding(real, 64);

    assertThat(colliding).hasSize(64).doesNotContain(real).doesNotHaveDuplicates()
        .allSatisfy(key -> assertThat(key.getFootprint()).isEqualTo(real.getFootprint()));
  }

  @Test
  void narrowsAnNsecToTheOwnersImmediateSuccessor() {
    Name owner = Name.fromConstantString("mail.google.com.");

    Name next = NsecNotCoveringFault.successor(owner);

    // RFC 4034 6.1: \000.mail sorts right after mail and before every other name after it.
    assertThat(next.compareTo(owner)).isPositive();
    assertThat(next.compareTo(Name.fromConstantString("a.mail.google.com."))).isNegative();
  }

  @Test
  void corruptsOnlyTheSignatureBytes() throws Exception {
    KeyPair pair = DnssecAlgorithm.ECDSAP256SHA256.generateKeyPair();
    DNSKEYRecord key = dnskey(DnssecAlgorithm.ECDSAP256SHA256, pair);
    RRset set = new RRset(new ARecord(Name.fromConstantString("www.google.com."), DClass.IN, 300,
        java.net.InetAddress.getByName("127.53.0.80")));
    Instant now = Instant.now();
    RRSIGRecord real = DNSSEC.sign(set, key, pair.getPrivate(), now, now.plusSeconds(3600));

    RRSIGRecord corrupted = SignatureCorruptFault.corrupted(real);

    assertThat(corrupted.getSignature()).isNotEqualTo(real.getSignature()).hasSameSizeAs(real.getSignature());
    assertThat(corrupted.getFootprint()).isEqualTo(real.getFootprint());
    assertThat(corrupted.getExpire()).isEqualTo(real.getExpire());
  }

  private static DNSKEYRecord dnskey(DnssecAlgorithm algorithm, KeyPair pair) throws Exception {
    return new DNSKEYRecord(ZONE, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY, DNSKEYRecord.Protocol.DNSSEC,
        algorithm.number(), pair.getPublic());
  }
}
