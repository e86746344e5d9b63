package dev.dnslab.core.authority;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.dnssec.Denial;
import dev.dnslab.core.dnssec.DnssecAlgorithm;
import dev.dnslab.core.dnssec.KeyStyle;
import dev.dnslab.core.dnssec.ZoneSigning;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.ratelimit.ResponseRateLimit;
import dev.dnslab.core.testing.AuthorityFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The flags every authority role shares: DNSSEC (where the keys are, which policy, or none) and RRL. */
class AuthorityOptionsTest {
  @TempDir Path dir;

  @Command(name = "role")
  static final class Role {
    @Mixin AuthorityOptions options = new AuthorityOptions(LabRole.TLD);
  }

  static AuthorityConfig parse(String... args) throws Exception {
    Role role = new Role();
    new CommandLine(role).parseArgs(args);
    return role.options.toConfig();
  }

  @Test
  void signsWithKeysInTheStateDirAndThePolicyBesideTheZones() throws Exception {
    AuthorityConfig config = parse("--zones", AuthorityFixture.labZones("tld").toString(), "--state-dir", dir.toString());

    assertThat(config.dnssec().signer().keyDirectory().dir()).isEqualTo(dir.resolve("keys").toAbsolutePath());
    // zones/dnssec.yaml: com is NSEC3 with opt-out, org is ED25519.
    assertThat(config.dnssec().signer().policy().forZone(Name.fromString("com.")))
        .isEqualTo(new ZoneSigning.Signed(DnssecAlgorithm.ECDSAP256SHA256, KeyStyle.KSK_ZSK, new Denial.Nsec3(true)));
  }

  @Test
  void readsTheNamedPolicyFile() throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.yaml"), "defaults:\n  algorithm: ED25519\n");

    AuthorityConfig config = parse("--zones", AuthorityFixture.labZones("tld").toString(), "--state-dir", dir.toString(),
        "--dnssec-policy", policy.toString());

    assertThat(config.dnssec().signer().policy().forZone(Name.fromString("com.")))
        .isEqualTo(new ZoneSigning.Signed(DnssecAlgorithm.ED25519, KeyStyle.KSK_ZSK, new Denial.Nsec()));
  }

  @Test
  void servesUnsignedWithNoDnssec() throws Exception {
    assertThat(parse("--zones", AuthorityFixture.labZones("tld").toString(), "--no-dnssec").dnssec()).isNull();
  }

  @Test
  void leavesRateLimitingOffByDefault() throws Exception {
    assertThat(parse("--zones", AuthorityFixture.labZones("tld").toString(), "--no-dnssec").rateLimit()).isNull();
  }

  @Test
  void turnsRateLimitingOnWithItsSettings() throws Exception {
    AuthorityConfig config = parse("--zones", AuthorityFixture.labZones("tld").toString(), "--no-dnssec", "--rrl",
        "--rrl-responses-per-second", "5", "--rrl-slip", "3", "--rrl-window", "15", "--rrl-exempt", "10.0.0.0/8,::1");

    assertThat(config.rateLimit()).isEqualTo(new ResponseRateLimit(5, 3, Duration.ofSeconds(15),
        List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1"))));
  }
}
