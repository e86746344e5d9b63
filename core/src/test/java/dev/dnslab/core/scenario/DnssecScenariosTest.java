package dev.dnslab.core.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.DnssecSigning;
import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.TrustAnchor;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.lab.LabRole;
import dev.dnslab.core.server.DnsHandler;
import dev.dnslab.core.testing.AuthorityFixture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Every shipped DNSSEC scenario, run offline: one signed server holding every lab zone, with the
 * faults of all three servers in its chain, asked through dnsjava's validating resolver trusting
 * only the lab root's key. Each check must reach the outcome its scenario states (rcode, AD, answer),
 * which proves the fault breaks what it says and nothing else before any real resolver is asked.
 */
class DnssecScenariosTest {
  @TempDir Path keyDir;

  static Stream<String> dnssecScenarios() throws IOException {
    try (Stream<Path> files = Files.list(ScenarioReaderTest.LIBRARY)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("dnssec-") && n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("dnssecScenarios")
  void validatorReachesTheStatedOutcome(String name) throws Exception {
    Scenario scenario = ScenarioReader.read(ScenarioReaderTest.LIBRARY.resolve(name + ".yaml"));
    KeyDirectory keys = new KeyDirectory(keyDir);
    List<DnsHandler> chain = new ArrayList<>();
    for (LabRole role : List.of(LabRole.ROOT, LabRole.TLD, LabRole.AUTHORITATIVE)) {
      chain.addAll(scenario.interceptors(new QueryJournal(), keys).apply(role));
    }
    ZoneSigner signer = new ZoneSigner(keys, DnssecPolicy.readIn(AuthorityFixture.LAB_ZONES), SignatureWindow.DEFAULT);
    List<Path> zones = Stream.of("root", "tld", "authoritative").map(AuthorityFixture::labZones).toList();
    try (AuthorityFixture lab = AuthorityFixture.start(AuthorityFixture.config("authoritative-ns", zones).toBuilder()
        .interceptors(chain).dnssec(new DnssecSigning(signer, Clock.systemUTC(), Duration.ofDays(1))).build())) {
      ValidatingResolver validator = new ValidatingResolver(lab.udp(), Clock.systemUTC());
      String anchor = TrustAnchor.of(keys.load(Name.root).orElseThrow()).anchorFileText();
      validator.loadTrustAnchors(new ByteArrayInputStream(anchor.getBytes(StandardCharsets.US_ASCII)));
      validator.setTimeout(Duration.ofSeconds(5));
      validator.setTCP(true); // the keytrap answers are larger than a UDP payload

      SimpleResolver direct = lab.udp();
      direct.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
      direct.setTCP(true);
      for (ScenarioCheck check : scenario.checks()) {
        // The server itself answers (a fault that threw would make it SERVFAIL, hiding the bug).
        Message served = direct.send(Message.newQuery(Record.newRecord(check.name(), check.type(), DClass.IN)));
        assertThat(Rcode.string(served.getRcode())).as(check.describe() + " served\n" + served).isNotEqualTo("SERVFAIL");

        Message response = validator.send(Message.newQuery(Record.newRecord(check.name(), check.type(), DClass.IN)));

        String got = check.describe() + " got\n" + response;
        assertThat(check.rcodes()).as(got).contains(response.getRcode());
        check.authenticated().ifPresent(ad -> assertThat(response.getHeader().getFlag(Flags.AD)).as(got).isEqualTo(ad));
        if (response.getRcode() == Rcode.NOERROR) {
          List<String> answers = response.getSection(Section.ANSWER).stream()
              .filter(r -> r.getType() == Type.A).map(Record::rdataToString).toList();
          assertThat(answers).as(got).containsAll(check.answer());
        }
      }
    }
  }
}
