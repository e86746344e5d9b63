package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.Tool;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNS over HTTPS/2 under load: several HTTP/2 connections, each with many POSTs in flight at once
 * (RFC 8484 4.1, RFC 9113 5), every one answered, with BoringSSL as the server's TLS provider. The
 * fat jar carries netty-tcnative for the web server, so Netty picks BoringSSL for every TLS server
 * in it; the tests fail, rather than skip, when BoringSSL cannot load, so a green run used it.
 *
 * <p>{@code dnsperf -m doh} is the client the benchmark uses, and the one that saw 1-2 answers a
 * second and lost every other query in flight when several answers shared a TLS record (see
 * DohHttp2Handler): the JDK client reads such records fine, so only dnsperf shows that regression.
 */
class DohConcurrentStreamsTest {
  private static final Tool DNSPERF = Tool.executable("dnsperf", "dnsperf");
  /** Like dnsperf's {@code -c 8 -q 512}: 8 connections, 64 streams each in flight. */
  private static final int CONNECTIONS = 8;
  private static final int IN_FLIGHT_PER_CONNECTION = 64;
  /** Each of those streams asks this many times in a row, a new POST as soon as its answer is in. */
  private static final int QUERIES_PER_STREAM = 8;
  /** A minute on a loaded two-core machine is still over a hundred answers a second. */
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir static Path stateDir;

  @RegisterExtension
  static final RecursorExtension recursor =
      RecursorExtension.on(LabHierarchy.LAB_ZONES).withEncryptedTransports(() -> stateDir);
  private static SSLContext trustLabCa;

  @BeforeAll
  static void requireBoringSsl() throws Exception {
    assertThat(OpenSsl.isAvailable())
        .as("netty-tcnative-boringssl-static on the test class path: %s", OpenSsl.unavailabilityCause())
        .isTrue();
    assertThat(SslContext.defaultServerProvider()).isEqualTo(SslProvider.OPENSSL);
    trustLabCa = recursor.server().certificateAuthority().clientTlsContext();
  }

  @Test
  void dnsperfGetsEveryAnswerOverDohPost() throws Exception {
    // given a cached answer, so the recursor answers each query while it reads the request
    String dnsperf = DNSPERF.require();
    URI uri = dohUri();
    assertAnswered(newClient().send(post(uri, query()), HttpResponse.BodyHandlers.ofByteArray()));
    Path names = stateDir.resolve("dnsperf-names.txt");
    Files.writeString(names, "www.google.com A\n");

    // when dnsperf keeps 256 queries in flight on 8 HTTP/2 connections for two seconds
    Process run = new ProcessBuilder(dnsperf, "-m", "doh", "-s", "127.0.0.1", "-p", String.valueOf(uri.getPort()),
        "-O", "doh-uri=" + uri, "-O", "doh-method=POST", "-d", names.toString(),
        "-c", "8", "-q", "256", "-l", "2", "-t", "5")
        .redirectErrorStream(true).redirectOutput(stateDir.resolve("dnsperf.txt").toFile()).start();
    if (!run.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      run.destroyForcibly();
      throw new AssertionError("dnsperf did not finish within " + DEADLINE);
    }
    String report = Files.readString(stateDir.resolve("dnsperf.txt"), StandardCharsets.UTF_8);

    // then it lost none (it lost 98 % when answers shared TLS records) and got many
    assertThat(run.exitValue()).as(report).isZero();
    assertThat(dnsperfCount(report, "Queries lost")).as(report).isZero();
    assertThat(dnsperfCount(report, "Queries completed")).as(report).isGreaterThan(256);
  }

  @Test
  void answersEveryPostOfManyConcurrentStreamsOnEachConnection() throws Exception {
    // given a cached answer, so the recursor answers each query while it reads the request
    URI uri = dohUri();
    byte[] query = query();
    assertAnswered(newClient().send(post(uri, query), HttpResponse.BodyHandlers.ofByteArray()));

    // when each of several connections keeps many POSTs in flight
    AtomicInteger answered = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> streams = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      // One HttpClient, one HTTP/2 connection: opened by one request first, or the JDK client opens
      // a connection for each of the concurrent first requests.
      HttpClient connection = newClient();
      assertAnswered(connection.send(post(uri, query), HttpResponse.BodyHandlers.ofByteArray()));
      for (int s = 0; s < IN_FLIGHT_PER_CONNECTION; s++) {
        streams.add(askInTurn(connection, post(uri, query), QUERIES_PER_STREAM, answered, failures));
      }
    }
    CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new))
        .handle((ok, error) -> null)
        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    // then every one was answered
    int expected = CONNECTIONS * IN_FLIGHT_PER_CONNECTION * QUERIES_PER_STREAM;
    assertThat(failures).isEmpty();
    assertThat(answered).hasValue(expected);
  }

  private static URI dohUri() {
    return URI.create("https://127.0.0.1:" + recursor.server().dohAddress().getPort() + "/dns-query");
  }

  /** A number from dnsperf's report: {@code "  Queries lost:         0 (0.00%)"}. */
  private static long dnsperfCount(String report, String label) {
    Matcher line = Pattern.compile("(?m)^\\s*" + label + ":\\s+(\\d+)").matcher(report);
    assertThat(line.find()).as("%s in dnsperf's report:%n%s", label, report).isTrue();
    return Long.parseLong(line.group(1));
  }

  /** {@code times} POSTs one after the other, the next sent when the answer to the last is in. */
  private static CompletableFuture<Void> askInTurn(HttpClient client, HttpRequest request, int times,
      AtomicInteger answered, ConcurrentLinkedQueue<String> failures) {
    if (times == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenCompose(response -> {
          try {
            assertAnswered(response);
            answered.incrementAndGet();
          } catch (Exception | AssertionError e) {
            failures.add(e.toString());
            return CompletableFuture.completedFuture(null);
          }
          return askInTurn(client, request, times - 1, answered, failures);
        })
        .exceptionally(error -> {
          failures.add(error.toString());
          return null;
        });
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder().sslContext(trustLabCa).version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** RFC 8484 4.1: POST with the query as an application/dns-message body, ID 0. */
  private static HttpRequest post(URI uri, byte[] query) {
    return HttpRequest.newBuilder(uri)
        .header("content-type", "application/dns-message")
        .header("accept", "application/dns-message")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(query))
        .build();
  }

  private static void assertAnswered(HttpResponse<byte[]> response) throws Exception {
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    Message answer = new Message(response.body());
    assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(Dig.answerWithoutTtl(answer)).hasSize(1);
  }

  private static byte[] query() throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    query.getHeader().setID(0);
    return query.toWire();
  }
}
