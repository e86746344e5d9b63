package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.testing.Poll;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.lab.ExternalCommand;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.DnsOverTlsExchange;
import dev.dnslab.testing.FreePort;
import dev.dnslab.testing.MetricsScrape;
import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.Tool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The fat jar, started as each role the images start (root, TLD and authoritative servers, the
 * recursor with DoT and DoH, the web server, the router; each its own JVM, {@code java -cp
 * dnslab.jar <main class>}), answers over every protocol it serves, and {@code dnslab up} with
 * {@code dnslab visit --https} works from it, as does the launcher's training start that makes the
 * lab's class-data archive (scripts/train-lab-archive.sh). The jar leaves out what no role can reach (cli/pom.xml's
 * shade filters): a class a role needs that a filter dropped fails here, not in the module suites,
 * which run on the full class path.
 */
class FatJarRolesIT {
  private static final Path JAR = Path.of("target", "dnslab.jar").toAbsolutePath();
  private static final Duration READY = Duration.ofSeconds(60);
  private static final List<DaemonProcess> ROLES = new ArrayList<>();
  /** The module's folder: the roles read the repository's zones and sites relative to it. */
  private static final Path WORK_DIR = Path.of("").toAbsolutePath();

  @TempDir static Path state;

  /** A /24 of 127.53/16 of this run's own, so a lab a developer runs on 127.53.0 does not answer. */
  private static String lab;

  private static int dnsPort;
  private static int dotPort;
  private static int dohPort;
  private static int httpsPort;
  private static int recursorAdminPort;

  @BeforeAll
  static void startEachRoleFromTheJar() throws Exception {
    assertThat(JAR).as("the fat jar (./mvnw -pl cli -am package)").isRegularFile();
    lab = "127.53." + ThreadLocalRandom.current().nextInt(150, 250);
    dnsPort = FreePort.find();
    dotPort = FreePort.find();
    dohPort = FreePort.find();
    httpsPort = FreePort.find();
    recursorAdminPort = FreePort.find();
    String network = lab + ".0/24";
    String port = Integer.toString(dnsPort);
    for (String[] authority : new String[][] {
        {"dev.dnslab.root.RootNameServer", "root"},
        {"dev.dnslab.tld.TldNameServer", "tld"},
        {"dev.dnslab.authoritative.AuthoritativeNameServer", "authoritative"}}) {
      start(authority[1], authority[0], "--lab-network", network, "--port", port, "--admin-port", "0",
          "--zones", Path.of("..", "zones", authority[1]).toString(), "--state-dir", state.toString());
    }
    start("recursor", "dev.dnslab.recursor.RecursorMain", "--address", lab + ".53", "--port", port,
        "--upstream-port", port, "--lab-network", network, "--admin-port", Integer.toString(recursorAdminPort),
        "--dot-port", Integer.toString(dotPort), "--doh-port", Integer.toString(dohPort), "--state-dir", state.toString());
    start("web-server", "dev.dnslab.web.WebServerMain", "--address", lab + ".80", "--port", Integer.toString(FreePort.find()),
        "--https-port", Integer.toString(httpsPort), "--admin-port", Integer.toString(FreePort.find()),
        "--lab-network", network, "--sites", Path.of("..", "sites").toString(), "--state-dir", state.toString());
    start("router", "dev.dnslab.router.RouterMain", "--address", lab + ".254", "--port", port,
        "--admin-port", Integer.toString(FreePort.find()), "--upstream", lab + ".53", "--upstream-port", port);
  }

  @AfterAll
  static void stopThem() {
    ROLES.forEach(DaemonProcess::close);
  }

  @Test
  void eachAuthorityAnswersItsZone() {
    assertAnswers(lab + ".11", ".", Type.SOA);
    assertAnswers(lab + ".12", "com.", Type.SOA);
    assertAnswers(lab + ".13", "www.google.com.", Type.A);
  }

  @Test
  void recursorAnswersOverUdp() {
    assertAnswers(lab + ".53", "www.google.com.", Type.A);
  }

  @Test
  void routerAnswersThroughTheRecursor() {
    assertAnswers(lab + ".254", "www.google.com.", Type.A);
  }

  @Test
  void recursorAnswersOverTls() throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN));
    InetSocketAddress dot = new InetSocketAddress(lab + ".53", dotPort);
    Poll.until(READY, () -> {
      try {
        return hasAddress(DnsOverTlsExchange.exchange(labCa(), dot, query));
      } catch (Exception notYet) {
        return false;
      }
    }, "an answer over DNS over TLS from " + lab + ".53:" + dotPort);
  }

  @Test
  void recursorAnswersOverHttp2() throws Exception {
    byte[] query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN)).toWire();
    HttpRequest post = HttpRequest.newBuilder(URI.create("https://" + lab + ".53:" + dohPort + "/dns-query"))
        .header("content-type", "application/dns-message").header("accept", "application/dns-message")
        .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofByteArray(query)).build();
    Poll.until(READY, () -> {
      // RFC 8484 over h2, negotiated with ALPN. The client inside: the CA may not be written yet.
      try {
        HttpClient client = HttpClient.newBuilder().sslContext(labCa()).version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<byte[]> response = client.send(post, HttpResponse.BodyHandlers.ofByteArray());
        return response.version() == HttpClient.Version.HTTP_2 && response.statusCode() == 200
            && hasAddress(new Message(response.body()));
      } catch (Exception notYet) {
        return false;
      }
    }, "an answer over DNS over HTTPS (h2) from " + lab + ".53:" + dohPort);
  }

  @Test
  void recursorExportsItsMetricsAsText() {
    // The jar leaves out the Prometheus protobuf exposition: the text scrape must not need it.
    InetSocketAddress admin = new InetSocketAddress(lab + ".53", recursorAdminPort);
    Poll.until(READY, () -> {
      try {
        return MetricsScrape.of(admin).text().contains("# TYPE dns_cache_bytes gauge");
      } catch (Exception | AssertionError notYet) {
        return false;
      }
    }, "the recursor's /metrics in the Prometheus text format");
  }

  @Test
  void webServerServesHttpsOverHttp1AndHttp2() throws Exception {
    RequiredTools.require(Tool.CURL);
    for (String version : List.of("--http1.1", "--http2")) {
      String expected = version.equals("--http2") ? "2" : "1.1";
      List<String> curl = List.of("curl", "-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code} %{http_version}", version,
          "--cacert", state.resolve(LabCertificateAuthority.CA_FILE).toString(),
          "--resolve", "www.google.com:" + httpsPort + ":" + lab + ".80", "https://www.google.com:" + httpsPort + "/");
      String[] output = new String[1];
      Poll.until(READY, () -> {
        try {
          output[0] = ExternalCommand.run(curl);
          return output[0].equals("200 " + expected);
        } catch (Exception | AssertionError notYet) {
          return false;
        }
      }, "200 over HTTP " + expected + " from the web server; curl said " + output[0]);
    }
  }

  @Test
  void upRunsTheLabThatVisitWalksThrough(@TempDir Path upState) throws Exception {
    String upLab = "127.53." + ThreadLocalRandom.current().nextInt(50, 150);
    String port = Integer.toString(FreePort.find());
    String admin = Integer.toString(FreePort.find());
    String https = Integer.toString(FreePort.find());
    try (DaemonProcess up = DaemonProcess.start(List.of("java", "-jar", JAR.toString(), "up", "--lab-network", upLab + ".0/24",
        "--port", port, "--admin-port", admin, "--http-port", Integer.toString(FreePort.find()), "--https-port", https,
        "--doh-port", Integer.toString(FreePort.find()), "--dot-port", Integer.toString(FreePort.find()),
        "--state-dir", upState.toString()), WORK_DIR, Path.of("target", "fat-jar-up.log"))) {
      Poll.until(READY, () -> answers(upLab + ".254", Integer.parseInt(port), "www.google.com.", Type.A),
          "an answer from the router of `dnslab up`");
      String visit = ExternalCommand.run(List.of("java", "-jar", JAR.toString(), "visit", "--https", "--no-cache", "--no-capture",
          "--state-dir", upState.toString(), "--router", upLab + ".254:" + port, "--router-admin", upLab + ".254:" + admin,
          "--recursor", upLab + ".53:" + port, "--recursor-admin", upLab + ".53:" + admin, "--https-port", https,
          "https://www.google.com/"));
      Files.writeString(Path.of("target", "fat-jar-visit.txt"), visit);
      assertThat(visit).contains("root name server", "TLD name server", "authoritative name server", "200");
    }
  }

  @Test
  void launchersTrainingStartLeavesAnArchiveAndTheFirstUpsKeysInAnEmptyDefaultStateFolder(@TempDir Path dir)
      throws Exception {
    // What ./dnslab runs right after it builds the jar: `up --stop-after-first-answer` on ports of
    // its own, the archive written when that JVM stops; the learner's first `up` then maps it and
    // finds the lab's keys made (the root's RSA pairs: 0.4-1.0 s of a cold start).
    Path archive = dir.resolve("dnslab.jsa");
    Path home = dir.resolve("state");
    String said = train(archive, home);
    assertThat(said).as("what the training said").contains("class-data archive " + archive + " made",
        "state folder " + home + " (the default one");
    assertThat(archive).isNotEmptyFile();
    // -Xshare:on refuses to start a JVM that cannot map the archive (another jar, another JDK).
    assertThat(ExternalCommand.run(List.of("java", "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
        "-jar", JAR.toString(), "--version"))).contains("dnslab");
    assertThat(home.resolve("keys").resolve("root")).isDirectoryContaining("glob:**/ksk.key")
        .isDirectoryContaining("glob:**/zsk.private.pem");
    assertThat(home.resolve(LabCertificateAuthority.CA_FILE)).isNotEmptyFile();
    assertThat(home.resolve("trust-anchor.ds")).isNotEmptyFile();
  }

  @Test
  void launchersTrainingStartLeavesAnExistingStateFoldersKeysAlone(@TempDir Path dir) throws Exception {
    // A rebuild while the user's lab runs: its keys and CA stay byte for byte and time for
    // time; the training makes keys of its own (for the archive) in a throw-away folder.
    Path home = dir.resolve("state");
    Files.createDirectories(home.resolve("keys").resolve("root"));
    Files.writeString(home.resolve("keys").resolve("root").resolve("ksk.key"), "; the user's root KSK\n");
    Files.writeString(home.resolve(LabCertificateAuthority.CA_FILE), "the user's lab CA\n");
    String before = treeListing(home);
    Path archive = dir.resolve("dnslab.jsa");
    String said = train(archive, home);
    assertThat(said).contains("class-data archive " + archive + " made").contains("(throw-away");
    assertThat(treeListing(home)).as("the user's state folder after the training").isEqualTo(before);
  }

  /**
   * scripts/train-lab-archive.sh as the launcher runs it, with {@code defaultStateDir} as the
   * default state folder ($DNSLAB_STATE_DIR: never the developer's own ~/.dnslab); what it said.
   */
  private static String train(Path archive, Path defaultStateDir) throws Exception {
    Path said = archive.resolveSibling(archive.getFileName() + ".training.txt");
    ProcessBuilder builder = new ProcessBuilder("sh", Path.of("..", "scripts", "train-lab-archive.sh").toString(),
        JAR.toString(), archive.toString())
        .directory(WORK_DIR.toFile()).redirectErrorStream(true).redirectOutput(said.toFile());
    builder.environment().put(LabCertificateAuthority.STATE_DIR_ENV, defaultStateDir.toString());
    Process training = builder.start();
    if (!training.waitFor(READY.toSeconds(), TimeUnit.SECONDS)) {
      training.destroyForcibly();
      throw new AssertionError("the training start did not stop within " + READY + ":\n" + Files.readString(said));
    }
    return Files.readString(said);
  }

  /** Every file and folder under {@code root} with its size, modification time and content hash. */
  private static String treeListing(Path root) throws IOException {
    StringBuilder listing = new StringBuilder();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted().toList()) {
        listing.append(root.relativize(path)).append(' ').append(Files.getLastModifiedTime(path));
        if (Files.isRegularFile(path)) {
          listing.append(' ').append(Arrays.hashCode(Files.readAllBytes(path)));
        }
        listing.append('\n');
      }
    }
    return listing.toString();
  }

  private static void start(String label, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("java", "-cp", JAR.toString(), mainClass));
    command.addAll(List.of(args));
    ROLES.add(DaemonProcess.start(command, WORK_DIR, Path.of("target", "fat-jar-" + label + ".log")));
  }

  private static void assertAnswers(String address, String name, int type) {
    Poll.until(READY, () -> answers(address, dnsPort, name, type), type == Type.A
        ? "an address for " + name + " from " + address : "the SOA of " + name + " from " + address);
  }

  private static boolean answers(String address, int port, String name, int type) {
    try {
      SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(address));
      resolver.setPort(port);
      resolver.setTimeout(Duration.ofSeconds(2));
      Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
      return response.getRcode() == Rcode.NOERROR && !response.getSection(Section.ANSWER).isEmpty();
    } catch (IOException notYet) {
      return false;
    }
  }

  private static boolean hasAddress(Message response) {
    return response.getRcode() == Rcode.NOERROR
        && response.getSection(Section.ANSWER).stream().anyMatch(ARecord.class::isInstance);
  }

  /**
   * TLS that trusts only the lab CA the roles share (their --state-dir's ca.pem), as a lab user's
   * client does. Loaded once a role has made it: the test must not make a CA of its own first.
   */
  private static SSLContext labCa() throws IOException {
    if (!Files.exists(state.resolve(LabCertificateAuthority.CA_FILE))) {
      throw new IOException("no lab CA in " + state + " yet");
    }
    return LabCertificateAuthority.loadOrCreate(state).clientTlsContext();
  }
}
