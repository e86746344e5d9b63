package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Validates the signed lab with dnsjava the way a resolver would (RFC 4035 5): from one trust
 * anchor for the root, down every DS -> DNSKEY link, to every signed zone; and the unsigned zones
 * are provably unsigned.
 */
class ChainOfTrustTest {
  @TempDir static Path keyDir;
  static SignedLab lab;
  static Instant now;

  @BeforeAll
  static void signTheLab() throws Exception {
    now = Instant.now();
    lab = SignedLab.sign(keyDir, now);
  }

  @Test
  void everySignatureVerifiesWithTheKeyItNames() throws Exception {
    int verified = 0;
    for (SignedZone zone : lab.signed.values()) {
      Map<Integer, DNSKEYRecord> keys = zone.keys().keys().stream()
          .collect(Collectors.toMap(ZoneKey::tag, ZoneKey::dnskey));
      for (Map<Integer, RRset> types : zone.nodes().values()) {
        for (RRset set : types.values()) {
          for (RRSIGRecord signature : set.sigs()) {
            DNSSEC.verify(set, signature, keys.get(signature.getFootprint()), now);
            verified++;
          }
        }
      }
    }
    assertThat(verified).isEqualTo(lab.signed.values().stream().mapToInt(SignedZone::signatureCount).sum())
        .isGreaterThan(50);
  }

  @Test
  void chainOfTrustRunsFromTheRootAnchorToEverySignedZone() throws Exception {
    TrustAnchor anchor = TrustAnchor.of(lab.keys.load(Name.root).orElseThrow());
    Map<Name, DNSKEYRecord> secureEntryKeys = new HashMap<>();
    secureEntryKeys.put(Name.root, keyMatching(lab.zone("."), anchor.ds()));
    Deque<SignedZone> toVisit = new ArrayDeque<>(List.of(lab.zone(".")));

    while (!toVisit.isEmpty()) {
      SignedZone zone = toVisit.pop();
      // RFC 4035 5.2: the DNSKEY RRset is trusted when a key the parent's DS names signed it.
      verifyWith(zone.rrset(zone.origin(), Type.DNSKEY), secureEntryKeys.get(zone.origin()));
      for (Name cut : zone.source().delegations()) {
        RRset ds = zone.rrset(cut, Type.DS);
        SignedZone child = lab.signed.get(cut);
        if (ds == null || child == null) {
          continue;
        }
        verifyWith(ds, zoneSigningKey(zone));
        secureEntryKeys.put(cut, keyMatching(child, ds.rrs()));
        toVisit.push(child);
      }
    }

    assertThat(secureEntryKeys.keySet()).isEqualTo(lab.signed.keySet());
  }

  @Test
  void unsignedZonesHaveNoDsAndTheirParentProvesIt() throws Exception {
    assertThat(lab.unsigned.keySet()).containsExactlyInAnyOrder(
        Name.fromConstantString("nheos.com."), Name.fromConstantString("example.org."));
    for (Name child : lab.unsigned.keySet()) {
      SignedZone parent = lab.parentOf(child);
      assertThat(parent.rrset(child, Type.DS)).as(child + " DS").isNull();
      assertThat(parent.records()).noneMatch(r -> r.getType() == Type.DS && r.getName().equals(child));

      Record proof = parent.chain().matching(child);
      if (proof instanceof NSECRecord nsec) {
        // RFC 4035 5.2: NS present, DS absent in the signed NSEC at the delegation.
        assertThat(nsec.hasType(Type.NS)).isTrue();
        assertThat(nsec.hasType(Type.DS)).isFalse();
      } else {
        // RFC 5155 8.9 / 7.2.4: no NSEC3 of its own; the covering one has Opt-Out set.
        assertThat(proof).as(child + " has its own NSEC3").isNull();
        proof = parent.chain().covering(child);
        assertThat(((NSEC3Record) proof).getFlags() & Denial.Nsec3.OPT_OUT_FLAG).isEqualTo(1);
      }
      verifyWith(parent.rrset(proof.getName(), proof.getType()), zoneSigningKey(parent));
    }
  }

  /** The DNSKEY of {@code zone} that one of {@code dsRecords} names (RFC 4034 5.1.4 digest). */
  private static DNSKEYRecord keyMatching(SignedZone zone, List<? extends Record> dsRecords) {
    for (Record record : zone.rrset(zone.origin(), Type.DNSKEY).rrs()) {
      DNSKEYRecord key = (DNSKEYRecord) record;
      for (Record r : dsRecords) {
        DSRecord ds = (DSRecord) r;
        DSRecord computed = new DSRecord(key.getName(), key.getDClass(), ds.getTTL(), ds.getDigestID(), key);
        if (ds.getFootprint() == key.getFootprint() && ds.getAlgorithm() == key.getAlgorithm()
            && Arrays.equals(ds.getDigest(), computed.getDigest())) {
          return key;
        }
      }
    }
    throw new AssertionError("no DNSKEY of " + zone.origin() + " matches " + dsRecords);
  }

  private static DNSKEYRecord zoneSigningKey(SignedZone zone) {
    return zone.keys().zoneSigningKeys().get(0).dnskey();
  }

  private static void verifyWith(RRset set, DNSKEYRecord key) throws Exception {
    Set<Integer> tags = set.sigs().stream().map(RRSIGRecord::getFootprint).collect(Collectors.toSet());
    assertThat(tags).as(set.getName() + " " + Type.string(set.getType()) + " signed by").contains(key.getFootprint());
    for (RRSIGRecord signature : set.sigs()) {
      if (signature.getFootprint() == key.getFootprint()) {
        DNSSEC.verify(set, signature, key, now);
      }
    }
  }
}
