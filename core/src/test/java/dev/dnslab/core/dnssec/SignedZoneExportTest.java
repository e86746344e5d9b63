package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.DnssecSigning;
import dev.dnslab.core.testing.AuthorityFixture;
import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneFileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Every lab zone, signed and written as a master file, passes the offline checkers of two other
 * DNSSEC implementations: NLnet Labs' ldns and ISC's BIND.
 */
class SignedZoneExportTest {
  @TempDir static Path keyDir;
  @TempDir static Path exported;
  static SignedLab lab;

  @BeforeAll
  static void signAndExportTheLab() throws Exception {
    lab = SignedLab.sign(keyDir, Instant.now());
    lab.export(exported);
  }

  @Test
  void writesEveryLabZoneUnderItsZoneFileName() throws Exception {
    try (var files = Files.list(exported)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "root.zone", "com.zone", "net.zone", "org.zone", "kr.zone", "co.kr.zone", "google.com.zone",
          "naver.com.zone", "nheos.com.zone", "nhn.com.zone", "example.co.kr.zone", "example.org.zone", "v6only.net.zone",
          "v6lame.net.zone");
    }
  }

  @Test
  void exportedZonesReadBackWithEveryRecord() throws Exception {
    for (SignedZone zone : lab.signed.values()) {
      Path file = exported.resolve(SignedZoneWriter.fileName(zone.origin()));

      List<Record> read = new ArrayList<>();
      try (Master master = new Master(file.toString(), zone.origin())) {
        for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
          read.add(record);
        }
      }

      assertThat(read).as(file.toString()).containsExactlyElementsOf(zone.records());
    }
  }

  @Test
  void ldnsVerifyZoneAcceptsEverySignedZone() throws Exception {
    for (SignedZone zone : lab.signed.values()) {
      Path file = exported.resolve(SignedZoneWriter.fileName(zone.origin()));

      InstalledTool.Result result = InstalledTool.run(InstalledTool.LDNS_VERIFY_ZONE, file.toString());

      assertThat(result.exitCode()).as(file + ":\n" + result.output()).isZero();
      assertThat(result.output()).contains("Zone is verified and complete");
    }
  }

  @Test
  void bindDnssecVerifyAcceptsEverySignedZone() throws Exception {
    for (SignedZone zone : lab.signed.values()) {
      Path file = exported.resolve(SignedZoneWriter.fileName(zone.origin()));
      // -z: with a combined signing key the one key has the KSK flag and signs everything; without
      // it dnssec-verify insists on a separate key without the flag.
      String[] arguments = zone.keys().style() == KeyStyle.CSK
          ? new String[] {"-z", "-o", zone.origin().toString(), file.toString()}
          : new String[] {"-o", zone.origin().toString(), file.toString()};

      InstalledTool.Result result = InstalledTool.run(InstalledTool.DNSSEC_VERIFY, arguments);

      assertThat(result.exitCode()).as(file + ":\n" + result.output()).isZero();
      assertThat(result.output()).contains("Zone fully signed");
    }
  }

  @Test
  void exportedSignedZonesPassTheZoneFileLoader() throws Exception {
    for (SignedZone zone : lab.signed.values()) {
      Path file = exported.resolve(SignedZoneWriter.fileName(zone.origin()));

      // Before RRSIGs were grouped by the type they cover, the first RRSIG with another TTL than
      // the previous one at its name failed the one-TTL-per-RRset check.
      Zone reloaded = new ZoneFileLoader().load(file);

      assertThat(reloaded.records()).as(file.toString()).containsExactlyInAnyOrderElementsOf(zone.records());
    }
  }

  @Test
  void exportedSignedZonesServeTheSignedServersAnswers() throws Exception {
    List<Path> labFolders = List.of("root", "tld", "authoritative").stream().map(AuthorityFixture::labZones).toList();
    DnssecSigning signing = new DnssecSigning(lab.signer, Clock.systemUTC(), Duration.ofDays(1));
    try (AuthorityFixture live = AuthorityFixture.start(
            AuthorityFixture.config("authoritative-ns", labFolders).toBuilder().dnssec(signing).build());
        AuthorityFixture preSigned = AuthorityFixture.start("authoritative-ns", List.of(exported))) {
      for (String question : List.of("www.google.com. A", "google.com. DNSKEY", "com. DNSKEY", "google.com. DS",
          "www.example.co.kr. A", "nosuch.google.com. A", "www.google.com. TXT", "www.naver.com. A",
          "nheos.com. DS", "example.org. NS", "www.nheos.com. A", ". SOA", "kr. NS")) {
        String[] parts = question.split(" ");

        Message fromLive = live.query(parts[0], Type.value(parts[1]));
        Message fromFile = preSigned.query(parts[0], Type.value(parts[1]));

        assertThat(fromFile.getRcode()).as(question).isEqualTo(fromLive.getRcode());
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
          assertThat(fromFile.getSection(section)).as(question + " " + Section.string(section) + "\n" + fromFile)
              .containsExactlyInAnyOrderElementsOf(fromLive.getSection(section));
        }
      }
    }
  }

  @Test
  void writesUnsignedZonesAsTheyAre() throws Exception {
    Zone nheos = lab.unsigned.get(Name.fromConstantString("nheos.com."));

    Zone reloaded = new ZoneFileLoader().load(exported.resolve("nheos.com.zone"));

    assertThat(reloaded.records()).containsExactlyElementsOf(nheos.records());
  }
}
