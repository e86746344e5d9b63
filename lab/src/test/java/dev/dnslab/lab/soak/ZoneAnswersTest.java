package dev.dnslab.lab.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.lab.soak.ZoneAnswers.Expected;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The soak's expected answers, from the lab's own zone files. */
class ZoneAnswersTest {
  private static ZoneAnswers zones;

  @BeforeAll
  static void load() throws Exception {
    zones = ZoneAnswers.load(Path.of("../zones/authoritative"));
  }

  @Test
  void expectsTheRecordsOfAName() {
    assertThat(zones.expect(Name.fromConstantString("google.com."), Type.MX))
        .isEqualTo(new Expected(Rcode.NOERROR, List.of("google.com. mx 10 smtp.google.com."), null));
  }

  @Test
  void followsADnameIntoTheTargetZone() throws Exception {
    Expected expected = zones.expect(Name.fromString("nosuch.nhn.com."), Type.MX);

    assertThat(expected.rcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(expected.answer()).hasSize(2);
    assertThat(expected.negativeZone()).isEqualTo(Name.fromString("naver.com."));
  }

  @Test
  void leavesOutAZoneWhoseNameServersHaveOnlyIpv6Addresses() throws Exception {
    assertThat(zones.origins()).contains(Name.fromString("v6lame.net."), Name.fromString("google.com."))
        .doesNotContain(Name.fromString("v6only.net."));
  }

  @Test
  void followsACnameIntoAnotherZone() {
    assertThat(zones.expect(Name.fromConstantString("www.naver.com."), Type.A).answer())
        .containsExactly("www.naver.com. cname www.naver.com.nheos.com.", "www.naver.com.nheos.com. a 127.53.0.80");
  }

  @Test
  void expectsNodataAfterACnameWhenTheTargetLacksTheType() {
    Expected expected = zones.expect(Name.fromConstantString("mail.google.com."), Type.MX);
    assertThat(expected.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(expected.answer()).containsExactly("mail.google.com. cname googlemail.l.google.com.");
    assertThat(expected.negativeZone()).isEqualTo(Name.fromConstantString("google.com."));
  }

  @Test
  void synthesisesFromAWildcardUnderAnEmptyNonTerminal() {
    Name name = Name.fromConstantString("soak-1.blog.example.co.kr.");
    assertThat(zones.expect(name, Type.A).answer()).containsExactly("soak-1.blog.example.co.kr. a 127.53.0.80");
    // RFC 4592 4.1: the wildcard exists, the type does not: NODATA, not NXDOMAIN.
    assertThat(zones.expect(name, Type.TXT)).isEqualTo(
        new Expected(Rcode.NOERROR, List.of(), Name.fromConstantString("example.co.kr.")));
  }

  @Test
  void expectsNxdomainForANameNoWildcardCovers() {
    assertThat(zones.expect(Name.fromConstantString("soak-1.example.org."), Type.A))
        .isEqualTo(new Expected(Rcode.NXDOMAIN, List.of(), Name.fromConstantString("example.org.")));
  }
}
