package dev.dnslab.junit.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.dnssec.TrustAnchorFormat;
import dev.dnslab.junit.Lab;
import dev.dnslab.testing.DaemonProcess;
import dev.dnslab.testing.FreePort;
import dev.dnslab.testing.Tool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

/**
 * Runs the four resolver configs of {@code scenarios/README.md} as written, changing only where
 * they listen (a host of the lab's own /24, or a free port for named), the hints path, the lab
 * root's address and the state folders, and checks that each resolves www.google.com through a lab.
 */
class ReadmeResolverConfigsIT {
  static final Path README = Path.of("..", "scenarios", "README.md");

  @TempDir Path dir;

  @Test
  void unboundConfigResolvesThroughTheLab() throws Exception {
    runUnbound("server:", false);
  }

  @Test
  void knotResolverConfigResolvesThroughTheLab() throws Exception {
    runKnotResolver("net.ipv6", false);
  }

  @Test
  void bindConfigResolvesThroughTheLab() throws Exception {
    runBind("options {", false);
  }

  @Test
  void powerDnsRecursorCommandResolvesThroughTheLab() throws Exception {
    runPowerDnsRecursor("pdns_recursor", false);
  }

  @Test
  void validatingUnboundConfigAuthenticatesTheSignedLab() throws Exception {
    runUnbound("# validating the lab: Unbound", true);
  }

  @Test
  void validatingKnotResolverConfigAuthenticatesTheSignedLab() throws Exception {
    runKnotResolver("-- validating the lab: Knot Resolver", true);
  }

  @Test
  void validatingBindConfigAuthenticatesTheSignedLab() throws Exception {
    runBind("# validating the lab: BIND", true);
  }

  @Test
  void validatingPowerDnsRecursorCommandAuthenticatesTheSignedLab() throws Exception {
    runPowerDnsRecursor("# validating the lab: PowerDNS Recursor", true);
  }

  /** The README's Unbound block that starts with {@code start}; with {@code validating}, AD is checked. */
  private void runUnbound(String start, boolean validating) throws Exception {
    String program = Tool.UNBOUND.require();
    try (Lab lab = lab()) {
      InetSocketAddress listen = recursorAddress(lab);
      String conf = block(start)
          .replace("127.0.0.1@5353", listen.getAddress().getHostAddress() + "@53")
          .replace("/tmp/lab-unbound.pid", dir.resolve("unbound.pid").toString())
          .replace("/tmp/lab.hints", lab.rootHints().toString())
          .replace("/tmp/lab-anchor.ds", lab.trustAnchorFile().toString());
      Path file = Files.writeString(dir.resolve("unbound.conf"), conf);
      assertCheckerAccepts(Tool.UNBOUND_CHECKCONF, file);
      run(lab, listen, List.of(program, "-d", "-c", file.toString()), validating);
    }
  }

  private void runKnotResolver(String start, boolean validating) throws Exception {
    String program = Tool.KRESD.require();
    try (Lab lab = lab()) {
      InetSocketAddress listen = recursorAddress(lab);
      String conf = block(start)
          .replace("'127.0.0.1', 5354", "'" + listen.getAddress().getHostAddress() + "', 53")
          .replace("127.53.0.11", lab.root().getAddress().getHostAddress())
          .replace("/tmp/lab-anchor.ds", lab.trustAnchorFile().toString());
      Path file = Files.writeString(dir.resolve("kresd.conf"), conf);
      Path rundir = Files.createDirectories(dir.resolve("kresd"));
      run(lab, listen, List.of(program, "-n", "-c", file.toString(), rundir.toString()), validating);
    }
  }

  private void runBind(String start, boolean validating) throws Exception {
    String program = Tool.NAMED.require();
    try (Lab lab = lab()) {
      int port = FreePort.find();
      Path anchor = Files.writeString(dir.resolve("lab-anchor.conf"), lab.trustAnchorConfig(TrustAnchorFormat.BIND));
      String conf = block(start)
          .replace("listen-on port 5355", "listen-on port " + port)
          .replace("/tmp/named", dir.toString())
          .replace("/tmp/lab.hints", lab.rootHints().toString())
          .replace("/tmp/lab-anchor.conf", anchor.toString());
      Path file = Files.writeString(dir.resolve("named.conf"), conf);
      assertCheckerAccepts(Tool.NAMED_CHECKCONF, file);
      run(lab, new InetSocketAddress("127.0.0.1", port),
          List.of(program, "-g", "-4", "-n", "1", "-u", "root", "-c", file.toString()), validating);
    }
  }

  private void runPowerDnsRecursor(String start, boolean validating) throws Exception {
    String program = Tool.PDNS_RECURSOR.require();
    try (Lab lab = lab()) {
      InetSocketAddress listen = recursorAddress(lab);
      Path anchor = Files.writeString(dir.resolve("lab-anchor.lua"), lab.trustAnchorConfig(TrustAnchorFormat.POWERDNS_RECURSOR));
      String command = block(start)
          .replaceAll("(?m)^#.*\n", "")
          .replace("\\\n", " ")
          .replace("--local-address=127.0.0.1 --local-port=5356",
              "--local-address=" + listen.getAddress().getHostAddress() + " --local-port=53")
          .replace("/tmp/pdns", dir.toString())
          .replace("/tmp/lab.hints", lab.rootHints().toString())
          .replace("/tmp/lab-anchor.lua", anchor.toString());
      List<String> args = new ArrayList<>(Arrays.asList(command.trim().split("\\s+")));
      args.set(0, program);
      run(lab, listen, args, validating);
    }
  }

  private void run(Lab lab, InetSocketAddress resolver, List<String> command, boolean validating) throws Exception {
    if (validating) {
      assertValidates(lab, resolver, command);
    } else {
      assertResolves(lab, resolver, command);
    }
  }

  /**
   * RFC 4035 3.2.3 / RFC 6840 5.7: a validating resolver sets AD on data it authenticated from the
   * trust anchor down (www.google.com), and not on data under an insecure delegation (example.org).
   */
  private void assertValidates(Lab lab, InetSocketAddress resolver, List<String> command) throws Exception {
    assertResolves(lab, resolver, command, () -> {
      Message secure = askWithDo(resolver, "www.google.com.");
      Message insecure = askWithDo(resolver, "www.example.org.");
      assertThat(secure.getHeader().getFlag(Flags.AD)).as(secure.toString()).isTrue();
      assertThat(insecure.getRcode()).as(insecure.toString()).isEqualTo(Rcode.NOERROR);
      assertThat(insecure.getHeader().getFlag(Flags.AD)).as(insecure.toString()).isFalse();
    });
  }

  /** The resolver's own config checker (unbound-checkconf, named-checkconf) accepts the file. */
  private static void assertCheckerAccepts(Tool checker, Path config) throws Exception {
    Process process = new ProcessBuilder(checker.require(), config.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(checker + " " + config + ":\n" + output).isZero();
  }

  private static Message askWithDo(InetSocketAddress resolver, String name) throws IOException {
    SimpleResolver client = new SimpleResolver(resolver);
    client.setTimeout(Duration.ofSeconds(3));
    client.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    return client.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  private static Lab lab() throws Exception {
    Tool.PORT_53.require();
    return Lab.builder().port(53).start();
  }

  private static InetSocketAddress recursorAddress(Lab lab) {
    return new InetSocketAddress(lab.address(ResolverUnderTest.RESOLVER_HOST), 53);
  }

  private void assertResolves(Lab lab, InetSocketAddress resolver, List<String> command) throws Exception {
    assertResolves(lab, resolver, command, () -> { });
  }

  /** What else to check while the resolver still runs. */
  private interface RunningCheck {
    void check() throws Exception;
  }

  private void assertResolves(Lab lab, InetSocketAddress resolver, List<String> command, RunningCheck then) throws Exception {
    try (DaemonProcess process = DaemonProcess.start(command, dir, dir.resolve("resolver.log"))) {
      SimpleResolver client = new SimpleResolver(resolver);
      client.setTimeout(Duration.ofMillis(500));
      Message query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      Message answer = null;
      // A resolver still starting may answer SERVFAIL or REFUSED (BIND does while it loads its
      // zones): keep asking until it gives an answer with data, or the deadline passes.
      while ((answer == null || answer.getSection(Section.ANSWER).isEmpty()) && System.nanoTime() < deadline) {
        try {
          answer = client.send(query);
          if (answer.getSection(Section.ANSWER).isEmpty()) {
            Thread.sleep(20); // an instant SERVFAIL: back off a little before asking again
          }
        } catch (IOException notYet) {
          // still starting
        }
      }
      assertThat(answer).as("no answer from %s:\n%s", command.get(0), process.log()).isNotNull();
      assertThat(answer.getSection(Section.ANSWER).stream().map(Record::rdataToString))
          .as(process.log())
          .contains(lab.address("127.53.0.80").getHostAddress());
      assertThat(lab.journal().queries(q -> q.server().equals("root-ns"))).isNotEmpty();
      try {
        then.check();
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + process.log(), e);
      }
    }
  }

  /** The README code block that starts with {@code start}. */
  private static String block(String start) throws IOException {
    List<String> lines = Files.readAllLines(README);
    List<String> current = null;
    for (String line : lines) {
      if (line.startsWith("```")) {
        if (current == null) {
          current = new ArrayList<>();
        } else {
          String text = current.stream().collect(Collectors.joining("\n", "", "\n"));
          if (text.startsWith(start)) {
            return text;
          }
          current = null;
        }
      } else if (current != null) {
        current.add(line);
      }
    }
    throw new AssertionError("no code block starting with '" + start + "' in " + README);
  }
}
