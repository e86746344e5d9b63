package dev.dnslab.composeit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.Tool;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.DClass;

/**
 * The container lab as users run it: {@code docker compose up} of docker-compose.yml itself under
 * its own project name, building every image from the compose file's build sections, the only
 * difference being the build arguments (local bases and the prebuilt jar: nothing can be pulled
 * here); then questions asked from the {@code client} container and from the host, then {@code
 * down} and nothing of the project left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class ComposeLabIT {
  private static final String PROJECT = "dnslab-it";
  private static final List<String> HEALTH_CHECKED =
      List.of("root-ns", "tld-ns", "authoritative-ns", "recursor", "web-server", "router");
  private static final Duration STARTUP = Duration.ofMinutes(3);

  private ComposeProject lab;
  private HostPorts ports;
  private volatile boolean failed;

  @RegisterExtension
  final TestWatcher failureLogs =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          failed = true;
        }
      };

  @BeforeAll
  void bringUpTheLab() {
    DockerEngine.requireAvailable();
    long start = System.nanoTime();
    Map<String, String> environment = new LinkedHashMap<>(DockerEngine.localBuildEnvironment(DockerEngine.projectRoot()));
    ports = HostPorts.free();
    environment.putAll(ports.environment());
    lab = new ComposeProject(DockerEngine.projectRoot(), PROJECT, environment);
    lab.down(); // whatever a killed earlier run left behind
    long bases = System.nanoTime();
    lab.up();
    long upReturned = System.nanoTime();
    lab.awaitHealthy(HEALTH_CHECKED, STARTUP);
    // The client starts last (it waits for the router and the web server); `up -d` returns once
    // it is created, and it has no health check: being running is its readiness.
    lab.awaitRunning("client", STARTUP);
    System.out.printf(
        "compose lab: bases %d ms, up --build %d ms, then healthy after %d ms%n",
        (bases - start) / 1_000_000, (upReturned - bases) / 1_000_000, (System.nanoTime() - upReturned) / 1_000_000);
  }

  @AfterAll
  void bringDownTheLab() {
    if (lab == null) {
      return;
    }
    if (failed) {
      System.out.println(lab.logs());
    }
    lab.down();
  }

  @Test
  @Order(1)
  void rootRefersWwwGoogleComToTheComServer() {
    String reply = clientDig("+norec", "@172.28.53.11", "www.google.com", "+noall", "+authority", "+additional");

    assertThat(reply)
        .containsPattern("(?m)^com\\.\\s+\\d+\\s+IN\\s+NS\\s+a\\.gtld-servers\\.net\\.$")
        .containsPattern("(?m)^a\\.gtld-servers\\.net\\.\\s+\\d+\\s+IN\\s+A\\s+172\\.28\\.53\\.12$");
  }

  @Test
  @Order(2)
  void comServerRefersGoogleComToItsOwnServer() {
    String reply = clientDig("+norec", "@172.28.53.12", "www.google.com", "+noall", "+authority", "+additional");

    assertThat(reply)
        .containsPattern("(?m)^google\\.com\\.\\s+\\d+\\s+IN\\s+NS\\s+ns1\\.google\\.com\\.$")
        .containsPattern("(?m)^ns1\\.google\\.com\\.\\s+\\d+\\s+IN\\s+A\\s+172\\.28\\.53\\.13$");
  }

  @Test
  @Order(2)
  void rootSignsItsReferralWithTheDsOfTheKeyTheComServerSignsWith() {
    // One lab-state volume, one set of keys: the DS the root publishes names the key-signing key
    // the TLD container signs com's DNSKEY RRset with (RFC 4035 5.2).
    String referral = clientDig("+dnssec", "+norec", "@172.28.53.11", "www.google.com", "+noall", "+authority");
    String dnskey = clientDig("+dnssec", "+norec", "@172.28.53.12", "com", "DNSKEY", "+noall", "+answer");

    Matcher ds = Pattern.compile("(?m)^com\\.\\s+\\d+\\s+IN\\s+DS\\s+(\\d+) 13 2 ").matcher(referral);
    assertThat(ds.find()).as(referral).isTrue();
    assertThat(referral).containsPattern("(?m)^com\\.\\s+\\d+\\s+IN\\s+RRSIG\\s+DS 8 1 ");
    assertThat(dnskey).containsPattern("(?m)^com\\.\\s+\\d+\\s+IN\\s+RRSIG\\s+DNSKEY 13 1 \\d+ \\d+ \\d+ " + ds.group(1) + " com\\. ");
  }

  @Test
  @Order(2)
  void trustAnchorCommandInAContainerNamesTheRootKeyInService() {
    // docker/README.md: the anchor for a validating resolver, from the shared state volume.
    String anchor = lab.exec("root-ns", "java", "-jar", "/opt/dnslab/dnslab.jar", "trust-anchor").orFail().output();
    String dnskey = clientDig("+dnssec", "+norec", "@172.28.53.11", ".", "DNSKEY", "+noall", "+answer");

    Matcher ds = Pattern.compile("(?m)^\\.\\s+3600\\s+IN\\s+DS\\s+(\\d+) 8 2 ").matcher(anchor);
    assertThat(ds.find()).as(anchor).isTrue();
    assertThat(dnskey).containsPattern("(?m)^\\.\\s+\\d+\\s+IN\\s+RRSIG\\s+DNSKEY 8 0 \\d+ \\d+ \\d+ " + ds.group(1) + " \\. ");
  }

  @Test
  @Order(3)
  void authoritativeServerAnswersWithTheWebServersComposeAddress() {
    assertThat(clientDig("+norec", "+short", "@172.28.53.13", "www.google.com")).isEqualTo("172.28.53.80");
  }

  @Test
  @Order(4)
  void runClientFindsServersByServiceName() {
    CommandResult run = lab.run("run", "--rm", "client", "dig", "+norec", "+short", "@authoritative-ns", "www.naver.com");

    assertThat(run.orFail().output()).contains("www.naver.com.nheos.com.").contains("172.28.53.80");
  }

  @Test
  @Order(5)
  void metricsAreServedOnTheComposeAddresses() {
    String metrics = lab.exec("client", "curl", "-sS", "--max-time", "5", "http://172.28.53.11:9153/metrics").orFail().output();

    assertThat(metrics).contains("dns_requests_total");
  }

  @Test
  @Order(6)
  void hostReachesTheAuthoritativeServerAtItsComposeAddress() throws Exception {
    // Linux only: the host has a leg on every bridge network, so the compose addresses route.
    for (boolean tcp : new boolean[] {false, true}) {
      Message reply = query("172.28.53.13", 53, tcp, "www.google.com.", false);

      assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(addresses(reply)).containsExactly("172.28.53.80");
    }
  }

  @Test
  @Order(10)
  void recursorResolvesWwwGoogleComFromTheRootDown() {
    assertThat(clientDig("+short", "@172.28.53.53", "www.google.com")).isEqualTo("172.28.53.80");
  }

  @Test
  @Order(11)
  void recursorFollowsNaversCnameIntoItsCdnZone() {
    assertThat(clientDig("+short", "@172.28.53.53", "www.naver.com").lines().toList())
        .containsExactly("www.naver.com.nheos.com.", "172.28.53.80");
  }

  @Test
  @Order(12)
  void clientFetchesGooglesPageThroughTheRecursor() {
    // No @server, no --resolve: the client's own resolver (the router, then the recursor) finds it.
    CommandResult curl = lab.exec("client", "curl", "-sS", "--max-time", "10", "-w", "\n%{http_code} %{remote_ip}", "http://www.google.com/");

    // Over IPv6: the client is dual-stack and www.google.com has an AAAA, which glibc's default
    // address order (RFC 3484's table, with no row ranking the ULA below IPv4) puts first.
    assertThat(curl.orFail().output().strip()).endsWith("200 fd00:53:53:172::80").containsIgnoringCase("google");
  }

  @Test
  @Order(13)
  void clientFetchesNaversPageThroughTheRecursor() {
    CommandResult curl = lab.exec("client", "curl", "-sS", "--max-time", "10", "-w", "\n%{http_code} %{remote_ip}", "http://www.naver.com/");

    assertThat(curl.orFail().output().strip()).endsWith("200 fd00:53:53:172::80").containsIgnoringCase("naver");
  }

  @Test
  @Order(17)
  void routerAnswersTheClientFromTheRecursor() {
    assertThat(clientDig("+short", "@172.28.53.254", "www.google.com")).isEqualTo("172.28.53.80");
  }

  @Test
  @Order(16)
  void clientLookupsPassThroughTheRouterCache() {
    // The client's resolver is the router (dns: 172.28.53.254), as a home computer's is.
    String cache = lab.exec("client", "curl", "-sS", "--max-time", "5", "http://172.28.53.254:9153/cache?format=text")
        .orFail().output();

    assertThat(cache).contains("www.google.com.").contains("www.naver.com.");
  }

  @Test
  @Order(14)
  void readmeCommandTellsTheWholeStory() {
    // docker/README.md: docker compose run --rm client curl -v http://www.google.com/
    CommandResult run = lab.run("run", "--rm", "client", "curl", "-v", "--max-time", "10", "http://www.google.com/");

    // compose run hands curl's verbose lines (stderr) and the page (stdout) to one stream, and they
    // interleave as in a user's terminal: once the "<" of "< HTTP/1.1 200 OK" came before the page
    // and the rest after it. So the status line is matched as a line of its own, with or without
    // its "<"; the page itself mentions HTTP/1.1 200 OK only inside a line.
    assertThat(run.orFail().output())
        .contains("Connected to www.google.com (fd00:53:53:172::80) port 80")
        .containsPattern(Pattern.compile("(?m)^<? ?HTTP/1\\.1 200 OK\\s*$"));
  }

  @Test
  @Order(15)
  void dohAndDotThroughTheRecursorWithTheLabCa() {
    // The web server hands out the lab CA; the recursor's DoH/DoT certificates come from the same CA
    // (they share the state volume) and name 172.28.53.53.
    String script =
        "curl -sS --max-time 10 -o /tmp/ca.pem http://www.google.com/_lab/ca.pem"
            + " && dig +https +short @172.28.53.53 +tls-ca=/tmp/ca.pem www.google.com"
            + " && dig +tls +short @172.28.53.53 +tls-ca=/tmp/ca.pem www.example.org"
            + " && curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{remote_ip}\\n' --cacert /tmp/ca.pem"
            + "    --doh-url https://172.28.53.53/dns-query https://www.naver.com/";
    List<String> lines = lab.exec("client", "sh", "-c", script).orFail().output().strip().lines().toList();

    assertThat(lines).containsExactly("172.28.53.80", "172.28.53.80", "200 172.28.53.80");
  }

  @Test
  @Order(18)
  void nameServersAnswerOverIpv6WithTheComposeAaaa() {
    // The lab network is dual-stack: the authoritative server answers on fd00:53:53:172::13 with
    // www.google.com's AAAA moved from the zone file's fd00:53:53:127::80.
    assertThat(clientDig("+norec", "+short", "@fd00:53:53:172::13", "www.google.com", "AAAA"))
        .isEqualTo("fd00:53:53:172::80");
  }

  @Test
  @Order(19)
  void recursorAnswersOverIpv6AndReachesAZoneServedOnlyOverIpv6() {
    // v6only.net's one name server has only an AAAA glue record: the recursor must ask it over IPv6.
    assertThat(clientDig("+short", "@fd00:53:53:172::53", "www.v6only.net", "A")).isEqualTo("172.28.53.80");
  }

  @Test
  @Order(19)
  void routerAndTheRecursorsDotAndDohAnswerOnTheirIpv6Addresses() {
    // The router listens on `::` (both families); the recursor serves DoT and DoH on its
    // --also-listen address too, with a certificate that names fd00:53:53:172::53.
    String script =
        "curl -sS --max-time 10 -o /tmp/ca.pem http://www.google.com/_lab/ca.pem"
            + " && dig +short @fd00:53:53:172::254 www.google.com"
            + " && dig +tls +short @fd00:53:53:172::53 +tls-ca=/tmp/ca.pem www.google.com"
            + " && dig +https +short @fd00:53:53:172::53 +tls-ca=/tmp/ca.pem www.google.com"
            + " && curl -sS --max-time 10 -6 -o /dev/null -w '%{http_code} %{remote_ip}\\n' --cacert /tmp/ca.pem"
            + "    --doh-url https://[fd00:53:53:172::53]/dns-query https://www.naver.com/";
    List<String> lines = lab.exec("client", "sh", "-c", script).orFail().output().strip().lines().toList();

    assertThat(lines).containsExactly("172.28.53.80", "172.28.53.80", "172.28.53.80", "200 fd00:53:53:172::80");
  }

  @Test
  @Order(20)
  void hostDigsThePublishedRecursorOnLoopback() throws Exception {
    for (boolean tcp : new boolean[] {false, true}) {
      Message reply = query("127.0.0.1", ports.dns(), tcp, "www.google.com.", true);

      assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(addresses(reply)).as(tcp ? "tcp" : "udp").containsExactly("172.28.53.80");
    }
  }

  @Test
  @Order(21)
  void hostFetchesThePublishedWebServerOnLoopback() throws Exception {
    Tool.CURL.require();
    CommandResult curl =
        Commands.run(
            DockerEngine.projectRoot(),
            Map.of(),
            Duration.ofSeconds(30),
            List.of("curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
                "--resolve", "www.naver.com:" + ports.http() + ":127.0.0.1", "http://www.naver.com:" + ports.http() + "/"));

    assertThat(curl.orFail().output().strip()).isEqualTo("200");
  }

  @Test
  @Order(22)
  void recursorNeverSentAQueryOutsideTheLab() {
    String metrics = lab.exec("client", "curl", "-sS", "--max-time", "5", "http://172.28.53.53:9153/metrics").orFail().output();

    // Nothing refused by the upstream allow-list either: the hints and zones only name lab hosts.
    assertThat(metrics).containsPattern("(?m)^dns_recursor_upstream_blocked_total 0\\.0$");
  }

  @Test
  @Order(100)
  void downLeavesNothingOfTheProject() {
    lab.down().orFail();

    assertThat(DockerEngine.containersOf(PROJECT)).isEmpty();
    assertThat(DockerEngine.networksOf(PROJECT)).isEmpty();
  }

  private String clientDig(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "dig";
    System.arraycopy(args, 0, command, 1, args.length);
    return lab.exec("client", command).orFail().output().strip();
  }

  static Message query(String server, int port, boolean tcp, String name, boolean recurse) throws Exception {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getByName(server));
    resolver.setPort(port);
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(5));
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    if (!recurse) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    return resolver.send(query);
  }

  static List<String> addresses(Message reply) {
    return reply.getSection(Section.ANSWER).stream()
        .filter(ARecord.class::isInstance)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .toList();
  }
}
