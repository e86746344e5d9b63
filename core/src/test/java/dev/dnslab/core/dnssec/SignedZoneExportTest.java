package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.zone.Zone;
import dev.dnslab.core.zone.ZoneFileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Master;
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
          "naver.com.zone", "nheos.com.zone", "example.co.kr.zone", "example.org.zone", "v6only.net.zone",
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
  void writesUnsignedZonesAsTheyAre() throws Exception {
    Zone nheos = lab.unsigned.get(Name.fromConstantString("nheos.com."));

    Zone reloaded = new ZoneFileLoader().load(exported.resolve("nheos.com.zone"));

    assertThat(reloaded.records()).containsExactlyElementsOf(nheos.records());
  }
}
