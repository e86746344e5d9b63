package dev.dnslab.core.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.testing.AuthorityFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class ZoneFileLoaderTest {
  private static final String HEADER =
      String.join(
          "\n",
          "$ORIGIN example.test.", // line 1
          "$TTL 300", // line 2
          "@ IN SOA ns1.example.test. admin.example.test. (", // line 3
          "      1 900 900 1800 60 )", // line 4
          "@ IN NS ns1.example.test.", // line 5
          "ns1 IN A 192.0.2.1", // line 6
          "");

  @TempDir Path dir;

  private final ZoneFileLoader loader = new ZoneFileLoader();

  private Path zoneFile(String body) throws IOException {
    Path file = dir.resolve("example.test.zone");
    Files.writeString(file, HEADER + body);
    return file;
  }

  @Test
  void loadsEveryLabZone() throws Exception {
    for (String file : BundledZones.FILES) {
      Zone zone = loader.load(AuthorityFixture.LAB_ZONES.resolve(file));
      assertThat(zone.serial()).as(file).isPositive();
      assertThat(zone.nameServers()).as(file).isNotNull();
    }
  }

  @Test
  void bundledZoneListMatchesZonesFolder() throws IOException {
    Path root = AuthorityFixture.LAB_ZONES;
    try (Stream<Path> files = Files.walk(root)) {
      List<String> onDisk =
          files
              .filter(p -> p.toString().endsWith(".zone"))
              .map(p -> root.relativize(p).toString().replace('\\', '/'))
              .sorted()
              .collect(Collectors.toList());
      assertThat(onDisk).containsExactlyInAnyOrderElementsOf(BundledZones.FILES);
    }
  }

  @Test
  void namesOriginAfterFileName() throws Exception {
    assertThat(ZoneFileLoader.originOf(Path.of("zones/root/root.zone"))).isEqualTo(Name.root);
    assertThat(ZoneFileLoader.originOf(Path.of("co.kr.zone"))).isEqualTo(Name.fromString("co.kr."));
  }

  @Test
  void loadsValidZoneWithMultiLineSoa() throws Exception {
    Zone zone = loader.load(zoneFile("www IN A 192.0.2.10\n"));
    assertThat(zone.origin()).isEqualTo(Name.fromString("example.test."));
    assertThat(zone.serial()).isEqualTo(1);
    assertThat(zone.negativeTtl()).isEqualTo(60);
    assertThat(zone.size()).isEqualTo(4);
  }

  @Test
  void reportsSyntaxErrorWithFileAndLine() throws Exception {
    Path file = zoneFile("www IN A 192.0.2.10\nbad IN A 999.1.1.1\n");
    assertThatThrownBy(() -> loader.load(file))
        .isInstanceOf(ZoneLoadException.class)
        .hasMessageStartingWith(file + ":8: ")
        .satisfies(e -> assertThat(((ZoneLoadException) e).line()).isEqualTo(8));
  }

  @Test
  void rejectsRecordOutsideZoneWithLine() throws Exception {
    Path file = zoneFile("www IN A 192.0.2.10\n\n; a comment\nwww.other.test. IN A 192.0.2.11\n");
    assertThatThrownBy(() -> loader.load(file))
        .hasMessage(file + ":10: www.other.test. is outside zone example.test.");
  }

  @Test
  void rejectsDelegationWithoutGlue() throws Exception {
    Path file = zoneFile("child IN NS ns1.child.example.test.\n");
    assertThatThrownBy(() -> loader.load(file))
        .hasMessage(file + ":7: ns1.child.example.test. has no glue");
  }

  @Test
  void acceptsDelegationToOutOfZoneServerWithoutGlue() throws Exception {
    Zone zone = loader.load(zoneFile("child IN NS ns.elsewhere.test.\n"));
    assertThat(zone.delegations()).containsExactly(Name.fromString("child.example.test."));
  }

  @Test
  void rejectsCnameBesideOtherData() throws Exception {
    Path file = zoneFile("www IN A 192.0.2.10\nwww IN CNAME ns1\n");
    assertThatThrownBy(() -> loader.load(file))
        .hasMessage(file + ":8: CNAME and other data at www.example.test. (RFC 1034 3.6.2)");
  }

  @Test
  void rejectsDataBelowADname() throws Exception {
    Path file = zoneFile("old IN DNAME new.example.test.\nwww.old IN A 192.0.2.10\n");
    assertThatThrownBy(() -> loader.load(file))
        .hasMessage(file + ":8: www.old.example.test. is below the DNAME at old.example.test."
            + " (RFC 6672 2.4: no data below a DNAME)");
  }

  @Test
  void rejectsTwoDnamesAtOneName() throws Exception {
    Path file = zoneFile("old IN DNAME new.example.test.\nold IN DNAME other.example.test.\n");
    assertThatThrownBy(() -> loader.load(file))
        .hasMessage(file + ":8: more than one DNAME at old.example.test. (RFC 6672 2.4)");
  }

  @Test
  void rejectsDifferentTtlsInOneRRset() throws Exception {
    Path file = zoneFile("www 300 IN A 192.0.2.10\nwww 600 IN A 192.0.2.11\n");
    assertThatThrownBy(() -> loader.load(file))
        .hasMessage(file + ":8: TTL 600 differs from 300 in the same RRset (RFC 2181 5.2)");
  }

  @Test
  void checksAnRrsigsTtlAgainstTheRRsetItCovers() throws Exception {
    String signature = " 8 3 %d 20261231000000 20261201000000 12345 example.test. AAAA\n";
    Path good = zoneFile("www 300 IN A 192.0.2.10\nwww 300 IN RRSIG A" + signature.formatted(300)
        + "www 60 IN TXT \"x\"\nwww 60 IN RRSIG TXT" + signature.formatted(60));
    assertThat(loader.load(good).rrset(Name.fromString("www.example.test."), Type.TXT).sigs()).hasSize(1);

    Path bad = zoneFile("www 300 IN A 192.0.2.10\nwww 60 IN RRSIG A" + signature.formatted(300));
    assertThatThrownBy(() -> loader.load(bad)).hasMessage(bad
        + ":8: TTL 60 differs from 300 in the same RRset (RFC 2181 5.2, RFC 4034 3: an RRSIG has its RRset's TTL)");
  }

  @Test
  void rejectsSecondSoa() throws Exception {
    Path file = zoneFile("@ IN SOA ns1 admin 2 900 900 1800 60\n");
    assertThatThrownBy(() -> loader.load(file))
        .hasMessageContaining(file + ":7: more than one SOA record");
  }

  @Test
  void rejectsZoneWithoutSoa() throws Exception {
    Path file = dir.resolve("example.test.zone");
    Files.writeString(file, "$ORIGIN example.test.\n@ 300 IN NS ns1.elsewhere.test.\n");
    assertThatThrownBy(() -> loader.load(file))
        .hasMessage(file + ": no SOA record at the zone apex example.test.");
  }

  @Test
  void rejectsZoneWithoutApexNs() throws Exception {
    Path file = dir.resolve("example.test.zone");
    Files.writeString(file, "$ORIGIN example.test.\n@ 300 IN SOA ns1 admin 1 900 900 1800 60\n");
    assertThatThrownBy(() -> loader.load(file))
        .hasMessage(file + ": no NS records at the zone apex example.test.");
  }

  @Test
  void refusesInclude() throws Exception {
    Path file = zoneFile("$INCLUDE /etc/passwd\n");
    assertThatThrownBy(() -> loader.load(file))
        .isInstanceOf(ZoneLoadException.class)
        .hasMessageStartingWith(file + ":7: ")
        .hasMessageContaining("$INCLUDE");
  }

  @Test
  void reportsUnreadableFile() {
    Path missing = dir.resolve("missing.test.zone");
    assertThatThrownBy(() -> loader.load(missing))
        .isInstanceOf(ZoneLoadException.class)
        .hasMessageStartingWith(missing + ": cannot read");
  }
}
