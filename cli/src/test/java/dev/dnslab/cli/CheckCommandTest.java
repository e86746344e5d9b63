package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnslab.core.admin.AdminServer;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.TrustAnchorFiles;
import dev.dnslab.core.fault.QueryJournal;
import dev.dnslab.core.lab.AddressPlan;
import dev.dnslab.core.lab.BundledZones;
import dev.dnslab.core.net.Cidr;
import dev.dnslab.core.scenario.Scenario;
import dev.dnslab.core.scenario.ScenarioReader;
import dev.dnslab.core.zone.RootHints;
import dev.dnslab.lab.EmbeddedLab;
import dev.dnslab.recursor.RecursorConfig;
import dev.dnslab.recursor.RecursorServer;
import dev.dnslab.testing.FreePort;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.xbill.DNS.Name;
import picocli.CommandLine;

/**
 * {@code dnslab check} against a real lab and dnslab's recursor on loopback, as on a laptop: the lab
 * of {@code dnslab up --scenario} (with its journal over HTTP) in this JVM, the recursor beside it.
 */
class CheckCommandTest {
  private static final Path SCENARIO = Path.of("../scenarios/truncate.yaml").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;
  private EmbeddedLab lab;
  private AdminServer journalAdmin;
  private RecursorServer recursor;
  private String network;
  private int adminPort;

  @BeforeEach
  void startLabAndRecursor() throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    network = "127." + random.nextInt(64, 251) + "." + random.nextInt(0, 256) + ".0/24";
    adminPort = FreePort.find();
    Scenario scenario = ScenarioReader.read(SCENARIO);
    QueryJournal journal = new QueryJournal();
    lab = EmbeddedLab.builder().plan(new AddressPlan(Cidr.parse(network), 0, adminPort))
        .zones(scenario.zones(BundledZones.locate())).stateDir(work.resolve("lab-state"))
        .interceptors(scenario.interceptors(journal, KeyDirectory.inStateDir(work.resolve("lab-state")))).build().start();
    journalAdmin = JournalAdmin.start(lab, journal, new PrintWriter(new StringWriter()));
    recursor = new RecursorServer(RecursorConfig.builder()
        .listen(new InetSocketAddress("127.0.0.1", 0))
        .admin(new InetSocketAddress("127.0.0.1", 0))
        .rootHints(RootHints.single(Name.fromString("a.root-servers.net."), lab.plan().address(dev.dnslab.core.lab.LabRole.ROOT)))
        .upstreamPort(lab.plan().dnsPort())
        .allowedUpstreams(List.of(Cidr.parse(network)))
        .labNetworks(List.of(Cidr.parse(network)))
        .stateDir(work.resolve("state"))
        .threads(1)
        .build()).start();
  }

  @AfterEach
  void stop() {
    if (recursor != null) {
      recursor.close();
    }
    if (journalAdmin != null) {
      journalAdmin.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  private int check(String resolver, StringWriter out, String... more) {
    CommandLine command = new CommandLine(new DnslabCommand());
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(new StringWriter()));
    List<String> args = new java.util.ArrayList<>(List.of("check", "--scenario", SCENARIO.toString(),
        "--resolver", resolver, "--resolver-name", "dnslab-recursor", "--lab-network", network,
        "--admin-port", String.valueOf(adminPort), "--results", work.resolve("results").toString()));
    args.addAll(List.of(more));
    return command.execute(args.toArray(String[]::new));
  }

  @Test
  void passesAResolverThatReachesEveryCorrectOutcome() throws Exception {
    StringWriter out = new StringWriter();
    int exit = check("127.0.0.1:" + recursor.dnsAddress().getPort(), out);

    assertThat(exit).as(out.toString()).isZero();
    JsonNode report = JSON.readTree(Files.readString(work.resolve("results/TEST-dnslab-truncate-dnslab-recursor.json")));
    assertThat(report.get("passed").asBoolean()).isTrue();
    assertThat(report.get("scenario").asText()).isEqualTo("truncate");
    assertThat(report.get("checks")).isNotEmpty();
    assertThat(report.get("checks").get(0).get("got").asText()).contains("(TCP at");
    Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(work.resolve("results/TEST-dnslab-truncate-dnslab-recursor.xml").toFile()).getDocumentElement();
    assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(report.get("checks").size()));
    assertThat(suite.getAttribute("failures")).isEqualTo("0");
    assertThat(out.toString()).contains("<testsuite").contains(CheckReport.JSON_MARKER);
  }

  @Test
  void findsTheAnchorAValidatingResolverNeedsInTheLabsStateDir() throws Exception {
    // Written before the lab's servers answer, so a resolver started once they do (the DNSSEC
    // Job's sidecar) can name it in its config.
    Path anchor = work.resolve("lab-state").resolve(TrustAnchorFiles.DS_FILE);

    assertThat(Files.readString(anchor)).isEqualTo(lab.trustAnchor().anchorFileText());
  }

  @Test
  void failsEveryCheckWhenTheResolverNeverAnswers() throws Exception {
    StringWriter out = new StringWriter();
    int exit = check("127.0.0.1:" + FreePort.find(), out, "--wait", "1");

    assertThat(exit).isEqualTo(CheckCommand.EXIT_FAILED);
    JsonNode report = JSON.readTree(Files.readString(work.resolve("results/TEST-dnslab-truncate-dnslab-recursor.json")));
    assertThat(report.get("passed").asBoolean()).isFalse();
    assertThat(report.get("failures").asInt()).isEqualTo(report.get("tests").asInt()).isPositive();
    assertThat(report.get("checks").get(0).get("problems").get(0).asText()).contains("did not answer in time");
  }
}
