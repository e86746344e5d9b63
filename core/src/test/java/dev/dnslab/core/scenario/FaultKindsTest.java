package dev.dnslab.core.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dnslab.core.fault.FaultListener;
import dev.dnslab.core.fault.OutOfBailiwickFault;
import dev.dnslab.core.fault.TcpOnlyFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault registry: the README's table agrees with it, and the reader reads by it. */
class FaultKindsTest {
  private static final Path README = ScenarioReaderTest.LIBRARY.resolve("README.md");
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\|([^|]*)\\|.*$", Pattern.MULTILINE);
  private static final Pattern PARAMETER = Pattern.compile("`([a-z0-9-]+)` \\(([^)]*)\\)");

  /** A value for each required parameter, so every kind can be built. */
  private static final Map<String, String> REQUIRED_VALUES =
      Map.of("ms", "5", "rcode", "SERVFAIL", "records", "'www.naver.com. 60 IN A 192.0.2.66'", "zone", "google.com.");

  @TempDir Path dir;

  @Test
  void readmeListsEveryFaultInRegistryOrder() throws IOException {
    assertThat(readmeTable().keySet()).containsExactlyElementsOf(FaultKinds.names());
  }

  @Test
  void readmeGivesEachParameterWithItsDefaultOrRequired() throws IOException {
    Map<String, String> table = readmeTable();
    for (FaultKind kind : FaultKinds.ALL) {
      Map<String, String> documented = new LinkedHashMap<>();
      Matcher m = PARAMETER.matcher(table.get(kind.name()));
      while (m.find()) {
        documented.put(m.group(1), m.group(2));
      }
      assertThat(documented.keySet()).as(kind.name())
          .containsExactlyElementsOf(kind.parameters().stream().map(FaultParameter::name).toList());
      for (FaultParameter<?> parameter : kind.parameters()) {
        assertThat(documented.get(parameter.name())).as(kind.name() + " " + parameter.name())
            .startsWith(parameter.isRequired() ? "required" : parameter.defaultText());
      }
    }
  }

  @Test
  void buildsEveryFaultKindFromItsDefaults() throws Exception {
    for (FaultKind kind : FaultKinds.ALL) {
      StringBuilder yaml = new StringBuilder("name: " + kind.name() + "\nfaults:\n  - fault: " + kind.name() + "\n    server: authoritative\n");
      for (FaultParameter<?> parameter : kind.parameters()) {
        if (parameter.isRequired()) {
          yaml.append("    ").append(parameter.name()).append(": ").append(REQUIRED_VALUES.get(parameter.name())).append('\n');
        }
      }
      Scenario scenario = ScenarioReader.read(write(kind.name() + ".yaml", yaml.toString()));

      assertThat(scenario.faults()).as(kind.name()).hasSize(1);
      assertThat(scenario.faults().get(0).handler().apply(FaultListener.NONE, ScenarioFault.NO_KEYS)).as(kind.name()).isNotNull();
    }
  }

  @Test
  void readsAListParameterItemByItem() throws Exception {
    Path file = write("bailiwick.yaml", "name: b\nfaults:\n  - fault: out-of-bailiwick\n    server: authoritative\n"
        + "    records:\n      - 'www.naver.com. 60 IN A 192.0.2.66'\n      - 'www.naver.com. 60 IN A 192.0.2.67'\n");

    OutOfBailiwickFault fault = (OutOfBailiwickFault) ScenarioReader.read(file).faults().get(0).handler().apply(FaultListener.NONE, ScenarioFault.NO_KEYS);

    assertThat(fault.extra()).extracting(r -> r.rdataToString()).containsExactly("192.0.2.66", "192.0.2.67");
  }

  @Test
  void readsAChoiceInAnyCase() throws Exception {
    Path file = write("tcp.yaml", "name: t\nfaults:\n  - fault: tcp-only\n    server: tld\n    udp: DROP\n");

    TcpOnlyFault fault = (TcpOnlyFault) ScenarioReader.read(file).faults().get(0).handler().apply(FaultListener.NONE, ScenarioFault.NO_KEYS);

    assertThat(fault.udpAnswer()).isEqualTo(TcpOnlyFault.UdpAnswer.DROP);
  }

  @Test
  void namesEveryKnownFaultWhenTheKindIsUnknown() throws Exception {
    Path file = write("explode.yaml", "name: x\nfaults:\n  - server: root\n    fault: explode\n");

    assertThatThrownBy(() -> ScenarioReader.read(file)).hasMessage(file + ":4: unknown fault 'explode' (expected: delay, drop,"
        + " truncate, rcode, ttl-zero, out-of-bailiwick, wrong-id, wrong-question, oversized, tcp-only, no-soa, forged-cname,"
        + " rrsig-expired, rrsig-not-yet-valid, rrsig-corrupt, rrsig-strip, ds-mismatch, dnskey-missing,"
        + " unsupported-algorithm, nsec3-iterations, nsec-not-covering, wildcard-no-proof or keytrap)");
  }

  @Test
  void namesTheLineOfTheFaultWhenARequiredParameterIsMissing() throws Exception {
    Path file = write("delay.yaml", "name: d\nfaults:\n  - fault: delay\n    server: root\n");

    assertThatThrownBy(() -> ScenarioReader.read(file)).hasMessage(file + ":3: missing 'ms'");
  }

  @Test
  void namesTheChoicesOfAChoiceParameter() throws Exception {
    Path file = write("tcp.yaml", "name: t\nfaults:\n  - fault: tcp-only\n    server: tld\n    udp: sometimes\n");

    assertThatThrownBy(() -> ScenarioReader.read(file)).hasMessage(file + ":5: udp: sometimes (expected: drop or truncate)");
  }

  @Test
  void namesTheLineOfTheBadItemInAList() throws Exception {
    Path file = write("bailiwick.yaml", "name: b\nfaults:\n  - fault: out-of-bailiwick\n    server: authoritative\n"
        + "    records:\n      - 'www.naver.com. 60 IN A 192.0.2.66'\n      - 'not a record'\n");

    assertThatThrownBy(() -> ScenarioReader.read(file)).hasMessageStartingWith(file + ":7: 'not a record' is not a record");
  }

  @Test
  void namesTheLineOfAnUnknownRcode() throws Exception {
    Path file = write("rcode.yaml", "name: r\nfaults:\n  - fault: rcode\n    server: tld\n    rcode: BROKEN\n");

    assertThatThrownBy(() -> ScenarioReader.read(file))
        .hasMessage(file + ":5: unknown rcode 'BROKEN' (expected e.g. SERVFAIL or REFUSED)");
  }

  private Path write(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  /** Fault name to its "parameters (default)" cell, from the table under "### Faults". */
  private static Map<String, String> readmeTable() throws IOException {
    String readme = Files.readString(README);
    int start = readme.indexOf("### Faults");
    int end = readme.indexOf("\n## ", start);
    Map<String, String> table = new LinkedHashMap<>();
    Matcher m = ROW.matcher(readme.substring(start, end));
    while (m.find()) {
      table.put(m.group(1), m.group(2).trim());
    }
    return table;
  }
}
