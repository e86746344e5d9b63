package dev.dnslab.core.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.fault.DeferredFault;
import dev.dnslab.core.fault.DelayFault;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.fault.QueryRecorder;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.ratelimit.ResponseRateLimit;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.zone.ZoneFileLoader;
import dev.dnslab.core.zone.ZoneRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;

/** Reading scenario files: the shipped library, and the errors a broken file gets. */
class ScenarioReaderTest {
  static final Path LIBRARY = locate("scenarios");

  @TempDir Path dir;

  Path write(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  @Test
  void readsEveryShippedScenarioWithAChecks() throws Exception {
    try (Stream<Path> files = Files.list(LIBRARY)) {
      List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).hasSizeGreaterThanOrEqualTo(16);
      for (Path file : yaml) {
        Scenario scenario = ScenarioReader.read(file);
        assertThat(scenario.name() + ".yaml").isEqualTo(file.getFileName().toString());
        assertThat(scenario.correct()).as(scenario.name()).containsPattern("RFC \\d+");
        assertThat(scenario.checks()).as(scenario.name()).isNotEmpty();
      }
    }
  }

  @Test
  void buildsARecorderThenTheFaultsForEachServer() throws Exception {
    Scenario scenario = ScenarioReader.read(LIBRARY.resolve("delay.yaml"));

    List<DnsHandler> authoritative = scenario.interceptors(new QueryJournal(), ScenarioFault.NO_KEYS).apply(LabRole.AUTHORITATIVE);
    List<DnsHandler> root = scenario.interceptors(new QueryJournal(), ScenarioFault.NO_KEYS).apply(LabRole.ROOT);

    assertThat(authoritative).hasSize(2);
    assertThat(authoritative.get(0)).isInstanceOf(QueryRecorder.class);
    assertThat(authoritative.get(1)).isInstanceOfSatisfying(DelayFault.class,
        d -> assertThat(d.delay().toMillis()).isEqualTo(800));
    assertThat(root).singleElement().isInstanceOf(QueryRecorder.class);
  }

  @Test
  void readsChecks() throws Exception {
    Scenario scenario = ScenarioReader.read(LIBRARY.resolve("udp-blackhole.yaml"));

    ScenarioCheck check = scenario.checks().get(0);

    assertThat(check.name().toString()).isEqualTo("www.google.com.");
    assertThat(check.rcodes()).containsExactlyInAnyOrder(Rcode.NOERROR, Rcode.SERVFAIL, ScenarioCheck.TIMEOUT);
    assertThat(check.within().toSeconds()).isEqualTo(6);
  }

  @Test
  void laysScenarioZonesOverTheLabZones() throws Exception {
    Scenario scenario = ScenarioReader.read(LIBRARY.resolve("wrong-glue.yaml"));

    Path zones = scenario.zones(locate("zones"));

    assertThat(Files.readString(zones.resolve("tld/com.zone"))).contains("wrongglue.com.");
    assertThat(zones.resolve("tld/net.zone")).exists();
    assertThat(zones.resolve("authoritative/wrongglue.com.zone")).exists();
    assertThat(zones.resolve("authoritative/google.com.zone")).exists();
  }

  @Test
  void everyShippedScenarioZoneLoads() throws Exception {
    try (Stream<Path> files = Files.list(LIBRARY)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        Path zones = ScenarioReader.read(file).zones(locate("zones"));
        for (String role : List.of("root", "tld", "authoritative")) {
          new ZoneRepository(List.of(zones.resolve(role)), new ZoneFileLoader()).reload();
        }
      }
    }
  }

  @Test
  void readsTheRateLimitOfTheServersItNames() throws Exception {
    Path file = write("rrl.yaml", "name: rrl\nrate-limit:\n  servers: [tld, authoritative]\n"
        + "  responses-per-second: 5\n  slip: 0\n  window: 15s\n  exempt: [10.0.0.0/8]\n");

    Scenario scenario = ScenarioReader.read(file);

    ResponseRateLimit expected = new ResponseRateLimit(5, 0, Duration.ofSeconds(15), List.of(Cidr.parse("10.0.0.0/8")));
    assertThat(scenario.rateLimit(LabRole.TLD)).contains(expected);
    assertThat(scenario.rateLimit(LabRole.AUTHORITATIVE)).contains(expected);
    assertThat(scenario.rateLimit(LabRole.ROOT)).isEmpty();
  }

  @Test
  void limitsEveryAuthorityWithDefaultsWhenTheRateLimitNamesNone() throws Exception {
    Scenario scenario = ScenarioReader.read(write("rrl.yaml", "name: rrl\nrate-limit: {}\n"));

    assertThat(List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE))
        .allSatisfy(role -> assertThat(scenario.rateLimit(role)).contains(ResponseRateLimit.DEFAULT));
    assertThat(ScenarioReader.read(LIBRARY.resolve("delay.yaml")).rateLimit(LabRole.AUTHORITATIVE)).isEmpty();
  }

  @Test
  void namesFileAndLineOfABadRateLimit() throws Exception {
    Path file = write("bad.yaml", "name: bad\nrate-limit:\n  servers: authoritative\n  slip: -1\n");

    assertThatThrownBy(() -> ScenarioReader.read(file))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("bad.yaml:3: rate-limit: slip: -1 (expected: >= 0)");
  }

  @Test
  void namesFileAndLineOfAnUnknownKey() throws Exception {
    Path file = write("typo.yaml", "name: typo\nfaults:\n  - fault: delay\n    server: authoritative\n    msec: 5\n");

    assertThatThrownBy(() -> ScenarioReader.read(file))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith(file + ":5: unknown key 'msec' for fault delay");
  }

  @Test
  void namesFileAndLineOfAnUnknownFault() throws Exception {
    Path file = write("bad.yaml", "name: bad\nfaults:\n  - server: tld\n    fault: explode\n");

    assertThatThrownBy(() -> ScenarioReader.read(file))
        .hasMessageStartingWith(file + ":4: unknown fault 'explode'");
  }

  @Test
  void namesFileAndLineOfAnUnknownServer() throws Exception {
    Path file = write("bad.yaml", "name: bad\nfaults:\n  - fault: truncate\n    server: recursor\n");

    assertThatThrownBy(() -> ScenarioReader.read(file))
        .hasMessage(file + ":4: unknown server 'recursor' (expected: root, tld or authoritative)");
  }

  @Test
  void namesFileAndLineOfAMissingZoneFile() throws Exception {
    Path file = write("bad.yaml", "name: bad\nzones:\n  tld:\n    - nowhere/com.zone\n");

    assertThatThrownBy(() -> ScenarioReader.read(file))
        .hasMessageStartingWith(file + ":4: no such zone file");
  }

  @Test
  void namesFileAndLineOfAnOutOfRangeValue() throws Exception {
    Path file = write("bad.yaml", "name: bad\nfaults:\n  - fault: drop\n    server: tld\n    share: 1.5\n");

    assertThatThrownBy(() -> ScenarioReader.read(file))
        .hasMessage(file + ":3: share: 1.5 (expected: 0..1)");
  }

  @Test
  void defersAFaultForEachServerByItsOwnCount() throws Exception {
    Path file = write("later.yaml", "name: later\nfaults:\n  - fault: drop\n    server: [tld, authoritative]\n"
        + "    after-queries: 3\n");

    Scenario scenario = ScenarioReader.read(file);
    List<DnsHandler> tld = scenario.interceptors(new QueryJournal(), ScenarioFault.NO_KEYS).apply(LabRole.TLD);

    assertThat(tld.get(1)).isInstanceOfSatisfying(DeferredFault.class, d -> assertThat(d.afterQueries()).isEqualTo(3));
  }

  @Test
  void readsAWaitAndAnExtendedErrorOfACheck() throws Exception {
    Scenario scenario = ScenarioReader.read(LIBRARY.resolve("serve-stale.yaml"));

    ScenarioCheck stale = scenario.checks().get(1);

    assertThat(stale.after()).isEqualTo(Duration.ofSeconds(6));
    assertThat(stale.ede()).contains(3);
    assertThat(scenario.checks().get(0).after()).isZero();
    assertThat(scenario.checks().get(0).ede()).isEmpty();
  }

  @Test
  void namesFileAndLineOfABadEde() throws Exception {
    Path file = write("bad.yaml", "name: bad\nchecks:\n  - query: www.google.com. A\n    expect: NOERROR\n    ede: 70000\n");

    assertThatThrownBy(() -> ScenarioReader.read(file))
        .hasMessage(file + ":5: ede: 70000 (expected: 0..65535, an RFC 8914 INFO-CODE)");
  }

  @Test
  void namesFileAndLineOfABadAfterQueries() throws Exception {
    Path file = write("bad.yaml", "name: bad\nfaults:\n  - fault: drop\n    server: tld\n    after-queries: 0\n");

    assertThatThrownBy(() -> ScenarioReader.read(file))
        .hasMessage(file + ":5: after-queries: 0 (expected: >= 1)");
  }

  @Test
  void namesTheLineOfBrokenYaml() throws Exception {
    Path file = write("bad.yaml", "name: bad\nfaults: [\n  - fault\n");

    assertThatThrownBy(() -> ScenarioReader.read(file))
        .hasMessageStartingWith(file + ":")
        .hasMessageContaining("not YAML");
  }

  @Test
  void refusesAScenarioWithoutAName() throws Exception {
    Path file = write("anon.yaml", "description: nothing\n");

    assertThatThrownBy(() -> ScenarioReader.read(file)).hasMessage(file + ":1: missing 'name'");
  }

  private static Path locate(String folder) {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve(folder)) && Files.isDirectory(d.resolve("zones/root"))) {
        return d.resolve(folder);
      }
    }
    throw new IllegalStateException("cannot find " + folder);
  }
}
