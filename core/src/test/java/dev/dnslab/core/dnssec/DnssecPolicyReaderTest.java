package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.testing.AuthorityFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

class DnssecPolicyReaderTest {
  @TempDir Path dir;

  private Path policyFile(String yaml) throws Exception {
    Path file = dir.resolve(DnssecPolicy.FILE_NAME);
    Files.writeString(file, yaml);
    return file;
  }

  private static ZoneSigning.Signed signed(DnssecPolicy policy, String zone) {
    return (ZoneSigning.Signed) policy.forZone(Name.fromConstantString(zone));
  }

  @Test
  void labPolicyMixesWhatTheRealInternetMixes() throws Exception {
    DnssecPolicy policy = DnssecPolicy.readIn(AuthorityFixture.LAB_ZONES);

    assertThat(signed(policy, ".")).isEqualTo(
        new ZoneSigning.Signed(DnssecAlgorithm.RSASHA256, KeyStyle.KSK_ZSK, new Denial.Nsec()));
    assertThat(signed(policy, "com.").denial()).isEqualTo(new Denial.Nsec3(true));
    assertThat(signed(policy, "google.com.").keys()).isEqualTo(KeyStyle.CSK);
    assertThat(policy.forZone(Name.fromConstantString("nheos.com."))).isInstanceOf(ZoneSigning.Unsigned.class);
    assertThat(policy.forZone(Name.fromConstantString("example.org."))).isInstanceOf(ZoneSigning.Unsigned.class);
    Set<ZoneSigning.Signed> signedZones = policy.namedZones().values().stream()
        .filter(ZoneSigning.Signed.class::isInstance).map(ZoneSigning.Signed.class::cast).collect(Collectors.toSet());
    assertThat(signedZones).extracting(ZoneSigning.Signed::algorithm).contains(DnssecAlgorithm.values());
    assertThat(signedZones).extracting(ZoneSigning.Signed::keys).contains(KeyStyle.values());
    assertThat(signedZones).extracting(ZoneSigning.Signed::denial)
        .contains(new Denial.Nsec(), new Denial.Nsec3(false), new Denial.Nsec3(true));
  }

  @Test
  void signsZonesItDoesNotNameWithTheDefaults() throws Exception {
    DnssecPolicy policy = DnssecPolicy.readIn(AuthorityFixture.LAB_ZONES);

    assertThat(policy.forZone(Name.fromConstantString("my-own.test."))).isEqualTo(
        new ZoneSigning.Signed(DnssecAlgorithm.ECDSAP256SHA256, KeyStyle.KSK_ZSK, new Denial.Nsec()));
  }

  @Test
  void usesBuiltInDefaultsWithoutAPolicyFile() throws Exception {
    assertThat(DnssecPolicy.readIn(dir).forZone(Name.root)).isEqualTo(DnssecPolicy.BUILT_IN_DEFAULTS);
  }

  @Test
  void zoneEntryStartsFromTheFilesDefaults() throws Exception {
    DnssecPolicy policy = DnssecPolicyReader.read(policyFile("""
        defaults:
          algorithm: 15
          denial: nsec3
        zones:
          lab.test:
            keys: csk
        """));

    assertThat(signed(policy, "lab.test.")).isEqualTo(
        new ZoneSigning.Signed(DnssecAlgorithm.ED25519, KeyStyle.CSK, new Denial.Nsec3(false)));
  }

  @Test
  void reportsUnknownKeyWithItsLine() throws Exception {
    Path file = policyFile("""
        zones:
          com:
            algoritm: ED25519
        """);

    assertThatThrownBy(() -> DnssecPolicyReader.read(file))
        .isInstanceOf(DnssecPolicyException.class)
        .hasMessage(file + ":3: unknown key 'algoritm' (expected one of [algorithm, denial, keys, opt-out, signed])");
  }

  @Test
  void refusesAnAlgorithmTheLabDoesNotSignWith() throws Exception {
    Path file = policyFile("""
        defaults:
          algorithm: RSASHA1
        """);

    assertThatThrownBy(() -> DnssecPolicyReader.read(file))
        .hasMessage(file + ":2: algorithm 'RSASHA1' is not one the lab signs with"
            + " (expected: RSASHA256 (8), ECDSAP256SHA256 (13), ED25519 (15))");
  }

  @Test
  void refusesOptOutWithoutNsec3() throws Exception {
    Path file = policyFile("""
        zones:
          com:
            denial: nsec
            opt-out: true
        """);

    assertThatThrownBy(() -> DnssecPolicyReader.read(file))
        .hasMessage(file + ":4: opt-out needs denial: nsec3 (RFC 5155 6; NSEC has no opt-out)");
  }

  @Test
  void refusesSettingsOnAnUnsignedZone() throws Exception {
    Path file = policyFile("""
        zones:
          nheos.com:
            signed: false
            keys: csk
        """);

    assertThatThrownBy(() -> DnssecPolicyReader.read(file))
        .hasMessage(file + ":3: an unsigned zone takes no other keys (found [keys, signed])");
  }

  @Test
  void refusesAZoneNamedTwice() throws Exception {
    Path file = policyFile("""
        zones:
          com: { denial: nsec3 }
          com.: { denial: nsec }
        """);

    assertThatThrownBy(() -> DnssecPolicyReader.read(file)).hasMessage(file + ":3: zone com. is named twice");
  }
}
