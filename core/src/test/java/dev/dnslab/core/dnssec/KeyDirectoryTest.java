package dev.dnslab.core.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.tls.PemFiles;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;

class KeyDirectoryTest {
  static final ZoneSigning.Signed POLICY =
      new ZoneSigning.Signed(DnssecAlgorithm.ECDSAP256SHA256, KeyStyle.KSK_ZSK, new Denial.Nsec());
  private static final Name ZONE = Name.fromConstantString("lab.test.");

  @TempDir Path dir;

  @Test
  void makesKeysOnceAndEveryReaderGetsTheSame() {
    ZoneKeys made = new KeyDirectory(dir).loadOrCreate(ZONE, POLICY);

    ZoneKeys read = new KeyDirectory(dir).loadOrCreate(ZONE, POLICY);

    assertThat(read.dnskeys()).isEqualTo(made.dnskeys());
    assertThat(read.ds(3600)).isEqualTo(made.ds(3600));
    assertThat(made.keys()).extracting(ZoneKey::role).containsExactly(KeyRole.KSK, KeyRole.ZSK);
    assertThat(made.keys().get(0).tag()).isNotEqualTo(made.keys().get(1).tag());
  }

  @Test
  void aKskRollMovesByItsTimesForEveryReaderAndEndsWithTheNewKeyInPlace() {
    ZoneKeys before = new KeyDirectory(dir).loadOrCreate(ZONE, POLICY);
    Instant start = Instant.parse("2026-12-01T00:00:00Z");
    KeyRoll roll = new KeyDirectory(dir).startRoll(ZONE, KeyRole.KSK, start);
    KeyDirectory other = new KeyDirectory(dir); // another server of the lab reads the same folder

    ZoneKeys published = other.load(ZONE, start).orElseThrow();
    ZoneKeys active = other.load(ZONE, roll.active()).orElseThrow();

    // Double-DS (RFC 7583 3.3.2): first only the parent learns the new KSK, then the zone swaps.
    assertThat(published.keys()).isEqualTo(before.keys());
    assertThat(published.ds(3600)).hasSize(2).containsAll(before.ds(3600));
    assertThat(active.keySigningKeys()).extracting(ZoneKey::tag).doesNotContain(before.keySigningKeys().get(0).tag());
    assertThat(active.dnskeys().rrs(false)).hasSize(2);
    assertThat(active.ds(3600)).containsExactlyInAnyOrderElementsOf(published.ds(3600));
    assertThatThrownBy(() -> other.startRoll(ZONE, KeyRole.ZSK, start)).hasMessageContaining("rolling its keys already");

    ZoneKeys after = other.load(ZONE, roll.done()).orElseThrow();

    assertThat(after.keys()).extracting(ZoneKey::tag).isEqualTo(active.keys().stream().map(ZoneKey::tag).toList());
    assertThat(after.ds(3600)).hasSize(1);
    assertThat(new KeyDirectory(dir).roll(ZONE)).isEmpty();
    assertThat(dir.resolve("lab.test").resolve("ksk-next.key")).doesNotExist();
    assertThat(new KeyDirectory(dir).load(ZONE).orElseThrow().keys()).isEqualTo(after.keys());
  }

  @Test
  void refusesToRollACombinedKey() {
    ZoneSigning.Signed csk = new ZoneSigning.Signed(DnssecAlgorithm.ED25519, KeyStyle.CSK, new Denial.Nsec());
    KeyDirectory keys = new KeyDirectory(dir);
    keys.loadOrCreate(ZONE, csk);

    assertThatThrownBy(() -> keys.startRoll(ZONE, KeyRole.ZSK, Instant.now()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("one combined signing key");
  }

  @Test
  void storesTheDnskeyAsAMasterFileAndThePrivateKeyForTheOwnerOnly() throws Exception {
    ZoneKeys made = new KeyDirectory(dir).loadOrCreate(ZONE, POLICY);
    Path folder = dir.resolve("lab.test");

    try (Master master = new Master(folder.resolve("ksk.key").toString(), ZONE)) {
      assertThat(master.nextRecord()).isEqualTo(made.keySigningKeys().get(0).dnskey());
    }
    assertThat(Files.readString(folder.resolve("zsk.private.pem"), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.getPosixFilePermissions(folder.resolve("zsk.private.pem")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(new KeyDirectory(dir).zoneFolder(Name.root)).isEqualTo(dir.toAbsolutePath().resolve("root"));
  }

  @Test
  void threadsStartingAtOnceEndUpWithOneKeySet() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<ZoneKeys>> starts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        starts.add(() -> new KeyDirectory(dir).loadOrCreate(ZONE, POLICY));
      }
      Set<Object> distinct = new HashSet<>();
      for (Future<ZoneKeys> keys : pool.invokeAll(starts)) {
        distinct.add(keys.get().ds(3600));
      }
      assertThat(distinct).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void processesStartingAtOnceEndUpWithOneKeySet() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), KeyDirectoryProcess.class.getName(),
          dir.toString(), ZONE.toString()).redirectErrorStream(true).start());
    }
    Set<String> printed = new HashSet<>();
    for (Process process : processes) {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process finished").isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(output).isZero();
      printed.add(output.lines().filter(l -> l.startsWith("DS ")).findFirst().orElseThrow());
    }

    assertThat(printed).hasSize(1);
    assertThat(printed.iterator().next())
        .contains(new KeyDirectory(dir).load(ZONE).orElseThrow().ds(ZoneKeys.DNSKEY_TTL).get(0).toString());
    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(".lock", "lab.test");
    }
  }

  @Test
  void makesNewKeysOnlyWhenAsked() {
    KeyDirectory keys = new KeyDirectory(dir);
    ZoneKeys first = keys.loadOrCreate(ZONE, POLICY);

    ZoneKeys rotated = keys.createNew(ZONE, POLICY);

    assertThat(rotated.ds(3600)).isNotEqualTo(first.ds(3600));
    assertThat(keys.loadOrCreate(ZONE, POLICY).ds(3600)).isEqualTo(rotated.ds(3600));
  }

  @Test
  void keepsStoredKeysThatNoLongerMatchThePolicyUntilAsked() {
    KeyDirectory keys = new KeyDirectory(dir);
    keys.loadOrCreate(ZONE, POLICY);
    ZoneSigning.Signed ed25519 = new ZoneSigning.Signed(DnssecAlgorithm.ED25519, KeyStyle.CSK, new Denial.Nsec());

    assertThatThrownBy(() -> keys.loadOrCreate(ZONE, ed25519))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(dir.toAbsolutePath().resolve("lab.test") + " holds ECDSAP256SHA256 (13) ksk-zsk keys but the policy"
            + " asks for ED25519 (15) csk; make new keys for lab.test. to follow it");
    assertThat(keys.createNew(ZONE, ed25519).keys()).extracting(k -> k.dnskey().getAlgorithm()).containsExactly(15);
  }

  @Test
  void refusesAPrivateKeyFromAnotherPair() throws Exception {
    new KeyDirectory(dir).loadOrCreate(ZONE, POLICY);
    Path folder = dir.resolve("lab.test");
    Files.copy(folder.resolve("ksk.private.pem"), folder.resolve("zsk.private.pem"), StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> new KeyDirectory(dir).load(ZONE))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("zsk.private.pem does not belong to zsk.key");
  }

  @Test
  void refusesAPrivateKeySwappedOnDiskAfterItsPairWasReadAndChecked() throws Exception {
    new KeyDirectory(dir).loadOrCreate(ZONE, POLICY);
    assertThat(new KeyDirectory(dir).load(ZONE)).isPresent(); // both pairs read, checked and remembered
    Path folder = dir.resolve("lab.test");
    Files.copy(folder.resolve("ksk.private.pem"), folder.resolve("zsk.private.pem"), StandardCopyOption.REPLACE_EXISTING);

    // The JVM remembers pairs by their bytes, not their files: the swapped file is a new pair.
    assertThatThrownBy(() -> new KeyDirectory(dir).load(ZONE))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("zsk.private.pem does not belong to zsk.key");
  }

  @Test
  void makesKeysOfEveryAlgorithmThatSignAndVerify() {
    for (DnssecAlgorithm algorithm : DnssecAlgorithm.values()) {
      ZoneSigning.Signed policy = new ZoneSigning.Signed(algorithm, KeyStyle.CSK, new Denial.Nsec());
      Name zone = Name.fromConstantString(algorithm.name().toLowerCase() + ".test.");
      new KeyDirectory(dir).loadOrCreate(zone, policy);

      DNSKEYRecord key = new KeyDirectory(dir).load(zone).orElseThrow().keys().get(0).dnskey();

      assertThat(key.getAlgorithm()).isEqualTo(algorithm.number());
      assertThat(key.getFlags()).isEqualTo(257);
    }
  }

  @Test
  void keysMadeForEveryAlgorithmAreDistinctAndReadTheSameFromTheirFiles() {
    for (DnssecAlgorithm algorithm : DnssecAlgorithm.values()) {
      ZoneSigning.Signed policy = new ZoneSigning.Signed(algorithm, KeyStyle.KSK_ZSK, new Denial.Nsec());
      Name zone = Name.fromConstantString(algorithm.name().toLowerCase() + ".test.");

      ZoneKeys made = new KeyDirectory(dir).loadOrCreate(zone, policy);

      assertThat(made.keys()).extracting(ZoneKey::role).containsExactly(KeyRole.KSK, KeyRole.ZSK);
      assertThat(made.keys().get(0).tag()).isNotEqualTo(made.keys().get(1).tag());
      assertThat(made.keys().get(0).privateKey()).isNotEqualTo(made.keys().get(1).privateKey());
      ZoneKeys read = new KeyDirectory(dir).load(zone).orElseThrow();
      assertThat(read.dnskeys()).isEqualTo(made.dnskeys());
      assertThat(read.keys()).extracting(k -> Base64.getEncoder().encodeToString(k.privateKey().getEncoded()))
          .containsExactlyElementsOf(made.keys().stream()
              .map(k -> Base64.getEncoder().encodeToString(k.privateKey().getEncoded())).toList());
    }
  }

  @Test
  void keysMadeInOneJvmLoadAndVerifyInTheNext() throws Exception {
    ZoneKeys made = new KeyDirectory(dir).loadOrCreate(ZONE, POLICY);

    // A new JVM remembers no pair: it reads both keys and checks each with a signature.
    Process next = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), KeyDirectoryProcess.class.getName(),
        dir.toString(), ZONE.toString()).redirectErrorStream(true).start();
    assertThat(next.waitFor(60, TimeUnit.SECONDS)).as("process finished").isTrue();
    String output = new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(next.exitValue()).as(output).isZero();
    assertThat(output).contains("DS " + made.ds(ZoneKeys.DNSKEY_TTL));
  }

  @Test
  void aPairMadeHereIsKnownByTheBytesOfItsFilesSoReadingItSignsNothing() throws Exception {
    for (DnssecAlgorithm algorithm : DnssecAlgorithm.values()) {
      ZoneSigning.Signed policy = new ZoneSigning.Signed(algorithm, KeyStyle.KSK_ZSK, new Denial.Nsec());
      Name zone = Name.fromConstantString(algorithm.name().toLowerCase() + ".test.");
      new KeyDirectory(dir).loadOrCreate(zone, policy);
      Path folder = new KeyDirectory(dir).zoneFolder(zone);

      for (KeyRole role : KeyStyle.KSK_ZSK.roles()) {
        // Read past KeyDirectory, whose read would check the pair and remember it either way.
        DNSKEYRecord dnskey;
        try (Master master = new Master(folder.resolve(role.fileStem() + ".key").toString(), zone)) {
          dnskey = (DNSKEYRecord) master.nextRecord();
        }
        PrivateKey privateKey = PemFiles.readPrivateKey(folder.resolve(role.fileStem() + ".private.pem"),
            algorithm.jcaName());

        assertThat(KeyDirectory.knownAsChecked(dnskey, privateKey)).as(algorithm + " " + role).isTrue();
      }
    }
  }
}
