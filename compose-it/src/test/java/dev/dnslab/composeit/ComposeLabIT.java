package dev.dnslab.composeit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * The container lab as users run it: images built by scripts/build-images.sh, the stack brought up
 * by docker-compose.yml itself under its own project name, questions asked from the {@code client}
 * container and from the host, then {@code down} and nothing of the project left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class ComposeLabIT {
  private static final String PROJECT = "dnslab-it";
  private static final List<String> HEALTH_CHECKED = List.of("root-ns", "tld-ns", "authoritative-ns");
  private static final Duration STARTUP = Duration.ofMinutes(3);

  private ComposeProject lab;
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
    DockerEngine.assumeAvailable();
    long start = System.nanoTime();
    DockerEngine.buildImages(DockerEngine.projectRoot());
    long built = System.nanoTime();
    lab = new ComposeProject(DockerEngine.projectRoot(), PROJECT, Map.of());
    lab.down(); // whatever a killed earlier run left behind
    lab.up();
    lab.awaitHealthy(HEALTH_CHECKED, STARTUP);
    System.out.printf(
        "compose lab: images %d ms, up and healthy %d ms%n",
        (built - start) / 1_000_000, (System.nanoTime() - built) / 1_000_000);
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
