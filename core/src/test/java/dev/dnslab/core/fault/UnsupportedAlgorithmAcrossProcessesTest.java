package dev.dnslab.core.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.authority.DnssecSigning;
import dev.dnslab.core.dnssec.DnssecPolicy;
import dev.dnslab.core.dnssec.KeyDirectory;
import dev.dnslab.core.dnssec.SignatureWindow;
import dev.dnslab.core.dnssec.ZoneSigner;
import dev.dnslab.core.testing.AuthorityFixture;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The unsupported-algorithm fault across processes, as the compose containers run it: the parent
 * (com) in this JVM and the child (google.com) in another, sharing only the state folder. The DS
 * the parent publishes must name the DNSKEY the child serves, or a resolver sees a broken chain
 * (bogus) instead of the insecure zone RFC 4035 5.2 describes.
 */
class UnsupportedAlgorithmAcrossProcessesTest {
  private static final Name ZONE = Name.fromConstantString("google.com.");
  /**
   * Each server's first answer is slow by design, not by fault: it signs with the fault's RSA key in
   * a JVM still cold, while the other JVM runs beside it on the same two cores. Under load that took
   * longer than 5 s (the answer came after dnsjava gave up: "Transaction ... not found"). A lost
   * answer still fails the test, after this.
   */
  private static final Duration FIRST_ANSWER_TIMEOUT = Duration.ofSeconds(60);
  /**
   * How long the child may take to serve: a cold JVM that signs its zones and makes (or reads) the
   * fault's key as it starts, beside this one on the same two cores. A child that prints no port by
   * then fails the test, with its output, instead of hanging it.
   */
  private static final Duration CHILD_START_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path stateDir;

  @Test
  void parentDsNamesTheKeyTheChildProcessServes() throws Exception {
    Path keyDir = KeyDirectory.inStateDir(stateDir).dir();
    Process childProcess = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), UnsupportedAlgorithmChildProcess.class.getName(),
        keyDir.toString()).redirectErrorStream(true).start();
    ChildOutput childOutput = new ChildOutput(childProcess);
    try (AuthorityFixture parent = start(keyDir, "tld")) {
      int childPort = childOutput.port(CHILD_START_TIMEOUT);

      DSRecord ds = (DSRecord) answer(parent.address(), Type.DS).get(0);
      List<Record> dnskeyAnswer = answer(new InetSocketAddress("127.0.0.1", childPort), Type.DNSKEY);

      DNSKEYRecord dnskey = dnskeyAnswer.stream().filter(DNSKEYRecord.class::isInstance)
          .map(DNSKEYRecord.class::cast).findFirst().orElseThrow();
      RRSIGRecord signature = dnskeyAnswer.stream().filter(RRSIGRecord.class::isInstance)
          .map(RRSIGRecord.class::cast).findFirst().orElseThrow();
      assertThat(dnskey.getAlgorithm()).isEqualTo(DNSSEC.Algorithm.RSAMD5);
      assertThat(ds.getAlgorithm()).isEqualTo(DNSSEC.Algorithm.RSAMD5);
      assertThat(ds.getFootprint()).as("DS key tag").isEqualTo(dnskey.getFootprint());
      assertThat(ds.getDigest()).as("DS digest of the child's DNSKEY")
          .isEqualTo(new DSRecord(ZONE, DClass.IN, ds.getTTL(), DNSSEC.Digest.SHA256, dnskey).getDigest());
      assertThat(signature.getFootprint()).as("the child signs with that key").isEqualTo(dnskey.getFootprint());
    } finally {
      childProcess.getOutputStream().close();
      if (!childProcess.waitFor(20, TimeUnit.SECONDS)) {
        childProcess.destroyForcibly();
      }
    }
  }

  /** A signed lab server for {@code folder} with the fault on google.com, keys in {@code keyDir}. */
  static AuthorityFixture start(Path keyDir, String folder) throws Exception {
    KeyDirectory keys = new KeyDirectory(keyDir);
    ZoneSigner signer = new ZoneSigner(keys, DnssecPolicy.readIn(AuthorityFixture.LAB_ZONES), SignatureWindow.DEFAULT);
    UnsupportedAlgorithmFault fault = new UnsupportedAlgorithmFault(QueryMatch.names(ZONE), ZONE,
        DNSSEC.Algorithm.RSAMD5, FaultListener.NONE, keys);
    return AuthorityFixture.start(AuthorityFixture.config("authoritative-ns", List.of(AuthorityFixture.labZones(folder)))
        .toBuilder().interceptors(List.of(fault)).dnssec(new DnssecSigning(signer, Clock.systemUTC(), Duration.ofDays(1)))
        .build());
  }

  /**
   * The child's output (stdout and stderr) read to its end on a thread of its own, so the child
   * never blocks on a full pipe and a failure can show what it said.
   */
  private static final class ChildOutput {
    private final Process child;
    private final StringBuffer text = new StringBuffer();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    ChildOutput(Process child) {
      this.child = child;
      Thread reader = new Thread(this::read, "child-output");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          text.append(line).append('\n');
          if (line.startsWith("DNS ") && !port.isDone()) {
            port.complete(Integer.parseInt(line.substring(4).trim()));
          }
        }
      } catch (IOException | RuntimeException e) {
        text.append("(reading the child's output: ").append(e).append(")\n");
      }
      port.completeExceptionally(new EOFException("the child's output ended"));
    }

    /** The port the child prints once it serves, waiting at most {@code timeout}. */
    int port(Duration timeout) throws InterruptedException {
      try {
        return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the child server printed no port within " + timeout + "; its output:\n" + text);
      } catch (ExecutionException e) {
        throw new AssertionError("the child server exited with " + child.waitFor() + " before serving; its output:\n" + text);
      }
    }
  }

  private static List<Record> answer(InetSocketAddress server, int type) throws Exception {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(FIRST_ANSWER_TIMEOUT);
    resolver.setTCP(true);
    resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    Message response = resolver.send(Message.newQuery(Record.newRecord(ZONE, type, DClass.IN)));
    List<Record> records = response.getSection(Section.ANSWER);
    assertThat(records).as(response.toString()).isNotEmpty();
    return records;
  }
}
