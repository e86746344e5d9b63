package dev.dnslab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.testing.RequiredTools;
import dev.dnslab.testing.Tool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab over IPv6, with real sockets and real clients (dig, curl), in a network namespace
 * this test makes: this machine's loopback has only ::1, so the lab's IPv6 addresses
 * (fd00:53:53:127::11, ::12, ::13, ::53, ::80, ::254) are put on the namespace's own loopback, the
 * whole lab runs there ({@link Ipv6NetnsLab}), and so do the clients. Nothing else exists in the namespace: no
 * route leads out, so fd00:53:53:127::99 (v6lame.net's IPv6 address) is unreachable, and
 * nothing can leave the machine. The namespace is deleted at the end.
 */
class Ipv6NetnsIT {
  private static final long READY_TIMEOUT_SECONDS = 90;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path state;

  private static String namespace;
  private static Process lab;

  @BeforeAll
  static void startTheLabInANamespaceWithIpv6() throws Exception {
    RequiredTools.require(Tool.ROOT, Tool.IP, Tool.DIG, Tool.CURL);
    namespace = "dnslab-v6-" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
    run("ip", "netns", "add", namespace);
    inNamespace("ip", "link", "set", "lo", "up");
    for (String host : List.of("11", "12", "13", "53", "80", "254")) {
      // nodad: usable at once, not "tentative" while duplicate address detection runs (RFC 4862 5.4).
      inNamespace("ip", "addr", "add", "fd00:53:53:127::" + host + "/128", "dev", "lo", "nodad");
    }
    lab = new ProcessBuilder("ip", "netns", "exec", namespace,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Ipv6NetnsLab.class.getName(),
        Path.of("..", "zones").toAbsolutePath().normalize().toString(),
        Path.of("..", "sites").toAbsolutePath().normalize().toString(), state.toString())
        .redirectError(Path.of("target", "ipv6-netns-lab.log").toFile())
        .start();
    assertThat(awaitReady(lab)).as("the lab bound its IPv6 addresses").startsWith("READY ipv6=true ");
  }

  @AfterAll
  static void deleteTheNamespace() throws Exception {
    if (lab != null) {
      lab.getOutputStream().close();
      if (!lab.waitFor(20, TimeUnit.SECONDS)) {
        lab.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (namespace != null) {
      run("ip", "netns", "delete", namespace);
    }
  }

  @Test
  void nameServersAnswerOverIpv6WithAaaaGlue() throws Exception {
    String referral = inNamespace("dig", "+norec", "+noall", "+authority", "+additional",
        "@fd00:53:53:127::11", "www.google.com", "A");

    assertThat(lines(referral)).contains(
        "com. 172800 IN NS a.gtld-servers.net.",
        "a.gtld-servers.net. 172800 IN A 127.53.0.12",
        "a.gtld-servers.net. 172800 IN AAAA fd00:53:53:127::12");
  }

  @Test
  void resolvesANameWhoseOnlyNameServerHasOnlyAnIpv6Address() throws Exception {
    assertThat(inNamespace("dig", "+short", "@127.53.0.53", "www.v6only.net", "A")).isEqualTo("127.53.0.80\n");

    JsonNode trace = trace("127.53.0.53", "www.v6only.net", "A");
    JsonNode answer = last(trace.get("steps"));
    assertThat(trace.get("rcode").asText()).isEqualTo("NOERROR");
    assertThat(answer.get("zone").asText()).isEqualTo("v6only.net.");
    assertThat(answer.get("server").get("address").asText()).isEqualTo("fd00:53:53:127:0:0:0:13");
    assertThat(answer.get("reply").asText()).isEqualTo("ANSWER");
  }

  @Test
  void fallsBackToIpv4WhenTheIpv6AddressOfANameServerDoesNotAnswer() throws Exception {
    JsonNode trace = trace("127.53.0.53", "www.v6lame.net", "A");

    List<String> atV6lame = new ArrayList<>();
    for (JsonNode step : trace.get("steps")) {
      if (step.get("zone").asText().equals("v6lame.net.")) {
        atV6lame.add(step.get("server").get("address").asText() + " " + step.get("reply").asText());
      }
    }
    assertThat(trace.get("rcode").asText()).isEqualTo("NOERROR");
    assertThat(trace.get("answer").toString()).contains("127.53.0.80");
    assertThat(atV6lame).containsExactly("fd00:53:53:127:0:0:0:99 ERROR", "127.53.0.13 ANSWER");
    assertThat(firstStepAt(trace, "fd00:53:53:127:0:0:0:99").get("note").asText())
        .contains("IPv6 address gave no reply: falling back to IPv4");
  }

  @Test
  void answersBrowsersAaaaAndHttpsQuestionsOverIpv6() throws Exception {
    String aaaa = inNamespace("dig", "+short", "@fd00:53:53:127::53", "www.google.com", "AAAA");
    String https = inNamespace("dig", "+noall", "+comments", "@fd00:53:53:127::53", "www.google.com", "TYPE65");

    assertThat(aaaa).isEqualTo("fd00:53:53:127::80\n");
    assertThat(https).contains("status: NOERROR").contains("ANSWER: 0,");
  }

  @Test
  void anIpv6OnlyRecursorAsksEveryNameServerOverIpv6() throws Exception {
    JsonNode trace = trace("127.0.0.1", "www.google.com", "A");

    assertThat(trace.get("rcode").asText()).isEqualTo("NOERROR");
    assertThat(trace.get("answer").toString()).contains("127.53.0.80");
    assertThat(trace.get("steps")).isNotEmpty()
        .allSatisfy(step -> assertThat(step.get("server").get("address").asText()).startsWith("fd00:53:53:127:"));
  }

  @Test
  void anIpv4OnlyRecursorCannotReachAZoneServedOnlyOverIpv6() throws Exception {
    String status = inNamespace("dig", "+noall", "+comments", "@127.0.0.2", "www.v6only.net", "A");
    JsonNode trace = trace("127.0.0.2", "www.v6only.net", "A");

    assertThat(status).contains("status: SERVFAIL");
    assertThat(trace.get("steps"))
        .allSatisfy(step -> assertThat(step.get("server").get("address").asText()).doesNotContain(":"));
  }

  @Test
  void webServerServesItsSitesOnTheIpv6AddressOfItsAaaa() throws Exception {
    String aaaa = inNamespace("dig", "+short", "@fd00:53:53:127::53", "www.google.com", "AAAA").strip();

    String http = inNamespace("curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code} %{remote_ip}",
        "--resolve", "www.google.com:80:[" + aaaa + "]", "http://www.google.com/");
    String https = inNamespace("curl", "-sS", "--max-time", "10", "-o", "/dev/null",
        "-w", "%{http_code} %{remote_ip} HTTP/%{http_version}", "--cacert", labCa(),
        "--resolve", "www.google.com:443:[" + aaaa + "]", "https://www.google.com/");

    assertThat(aaaa).isEqualTo("fd00:53:53:127::80");
    assertThat(http).isEqualTo("200 fd00:53:53:127::80");
    assertThat(https).isEqualTo("200 fd00:53:53:127::80 HTTP/2");
  }

  @Test
  void routerAnswersOnItsIpv6AddressOverUdpAndTcp() throws Exception {
    String udp = inNamespace("dig", "+short", "@fd00:53:53:127::254", "www.google.com", "A");
    String tcp = inNamespace("dig", "+tcp", "+short", "@fd00:53:53:127::254", "www.google.com", "AAAA");

    assertThat(udp).isEqualTo("127.53.0.80\n");
    assertThat(tcp).isEqualTo("fd00:53:53:127::80\n");
  }

  @Test
  void recursorAnswersDnsOverTlsOnItsIpv6Address() throws Exception {
    // +tls-ca: RFC 7858 4.2 strict privacy, the certificate checked against the lab CA.
    String answer = inNamespace("dig", "+tls", "+short", "+tls-ca=" + labCa(), "@fd00:53:53:127::53",
        "www.google.com", "AAAA");

    assertThat(answer).isEqualTo("fd00:53:53:127::80\n");
  }

  @Test
  void recursorAnswersDnsOverHttpsOnItsIpv6Address() throws Exception {
    String dig = inNamespace("dig", "+https", "+short", "+tls-ca=" + labCa(), "@fd00:53:53:127::53",
        "www.google.com", "AAAA");
    // curl resolves www.naver.com through the recursor's DoH on its IPv6 literal (which the
    // certificate names), then fetches the page over IPv6 (-6: the AAAA it got).
    String curl = inNamespace("curl", "-sS", "--max-time", "10", "-6", "-o", "/dev/null",
        "-w", "%{http_code} %{remote_ip}", "--cacert", labCa(),
        "--doh-url", "https://[fd00:53:53:127::53]/dns-query", "https://www.naver.com/");

    assertThat(dig).isEqualTo("fd00:53:53:127::80\n");
    assertThat(curl).isEqualTo("200 fd00:53:53:127::80");
  }

  /** The lab CA that signed the web server's and the recursor's certificates, in the state dir. */
  private static String labCa() {
    return state.resolve(LabCertificateAuthority.CA_FILE).toString();
  }

  private static JsonNode trace(String recursor, String name, String type) throws Exception {
    return JSON.readTree(inNamespace("curl", "-sf", "http://" + recursor + ":9153/trace?name=" + name + "&type=" + type));
  }

  private static JsonNode last(JsonNode steps) {
    return steps.get(steps.size() - 1);
  }

  private static JsonNode firstStepAt(JsonNode trace, String address) {
    for (JsonNode step : trace.get("steps")) {
      if (step.get("server").get("address").asText().equals(address)) {
        return step;
      }
    }
    throw new AssertionError("no step at " + address + " in " + trace);
  }

  /** dig's lines with runs of blanks made one space, so they compare as zone-file lines. */
  private static List<String> lines(String output) {
    return output.lines().map(line -> line.strip().replaceAll("\\s+", " ")).filter(line -> !line.isEmpty()).toList();
  }

  private static String inNamespace(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(List.of(command));
    return run(full.toArray(String[]::new));
  }

  private static String awaitReady(Process process) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      String line = out.readLine();
      if (line == null) {
        throw new IOException("the lab in the namespace exited; see target/ipv6-netns-lab.log");
      }
      if (line.startsWith("READY")) {
        return line;
      }
    }
    throw new IOException("the lab in the namespace did not start within " + READY_TIMEOUT_SECONDS + " s");
  }

  private static String run(String... command) throws IOException, InterruptedException {
    return ExternalCommand.run(List.of(command));
  }
}
