package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.DnsServer;
import dev.dnslab.core.testing.Poll;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
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
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * TcpFloodTest for the recursor's encrypted transports: far more idle connections than the cap
 * ({@link DnsServer#DEFAULT_MAX_TCP_CONNECTIONS}) to DNS over TLS and to DNS over HTTPS do not lock
 * new clients out: while the flood runs, new DoT, DoH and UDP clients are answered, because the
 * connections idle longest are closed to admit new ones (RFC 7766 6.2.3, RFC 9210 3.4), counted per
 * transport. The DoT flood never starts its TLS handshakes, the cheapest attack; each DoH
 * connection finishes its handshake, negotiates HTTP/2 and sends the HTTP/2 preface, then stays
 * silent. The recursor's DoT and DoH idle timeouts (which bound the TLS handshake too) are set far
 * beyond the test, so the room can only come from eviction: with the defaults (10 s, 30 s) a flood
 * slowed by a loaded machine had its first connections closed as idle instead, and too few evicted.
 *
 * <p>{@code -Ddnslab.tlsFlood.connections=N} sets the connections per transport (default 1,000).
 */
class EncryptedTransportsFloodTest {
  private static final int CONNECTIONS = Integer.getInteger("dnslab.tlsFlood.connections", 1_000);
  /**
   * The cap buys a new client CAP / RATE seconds to finish its TLS handshake and its query before
   * 255 newer connections make it the idlest: at 250 a second about one second, ample on a loaded
   * two-core machine. A much faster flood of bare connects starves TLS clients whose handshake takes
   * longer than that window, where plain TCP clients, with no handshake, still get through.
   */
  private static final int DOT_FLOOD_PER_SECOND = 250;

  /** Longer than the whole test: no flood connection is closed for idleness. */
  private static final Duration NO_IDLE_TIMEOUT = Duration.ofMinutes(10);

  @TempDir static Path stateDir;

  @RegisterExtension
  static final RecursorExtension recursor =
      RecursorExtension.on(LabHierarchy.LAB_ZONES).withEncryptedTransports(() -> stateDir)
          .configure(config -> config.idleTimeouts(new IdleTimeouts(IdleTimeouts.DEFAULT.tcp(), NO_IDLE_TIMEOUT, NO_IDLE_TIMEOUT)));
  private static SSLContext trustLabCa;

  private final List<Socket> flood = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean stopFlooding;
  private CompletableFuture<Void> flooding;

  @BeforeAll
  static void trustTheLabCa() throws Exception {
    trustLabCa = recursor.server().certificateAuthority().clientTlsContext();
  }

  @AfterEach
  void stop() throws Exception {
    stopFlooding = true;
    if (flooding != null) {
      flooding.handle((ok, error) -> null).get(2, TimeUnit.MINUTES);
    }
    for (Socket socket : flood) {
      socket.close();
    }
  }

  @Test
  void servesNewDotAndDohClientsDuringAFloodOfIdleTlsConnections() throws Exception {
    // given clients opening idle connections to DoT and to DoH (HTTP/2) as fast as they can
    InetSocketAddress dot = recursor.server().dotAddress();
    InetSocketAddress doh = recursor.server().dohAddress();
    flooding = CompletableFuture.allOf(
        CompletableFuture.runAsync(() -> {
          long started = System.nanoTime();
          for (int i = 0; i < CONNECTIONS && !stopFlooding; i++) {
            flood.add(idleTcp(dot));
            pace(started, i + 1);
          }
        }),
        CompletableFuture.runAsync(() -> {
          for (int i = 0; i < CONNECTIONS && !stopFlooding; i++) {
            flood.add(idleHttp2(doh));
          }
        }));
    // when other clients ask over DoT, DoH and UDP while it runs
    int dotAnswers = 0;
    int dohAnswers = 0;
    int udpAnswers = 0;
    long started = System.nanoTime();
    while (!flooding.isDone() || dotAnswers == 0) {
      assertAnswered(dotQueryOnNewConnection(dot));
      dotAnswers++;
      assertAnswered(dohQueryOnNewConnection(doh));
      dohAnswers++;
      assertAnswered(Dig.query(recursor.server().dnsAddress(), "www.google.com.", Type.A));
      udpAnswers++;
    }
    flooding.get(2, TimeUnit.MINUTES);
    long floodMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    // then every one was answered, and the idle connections made room by being closed
    double atLeast = CONNECTIONS - DnsServer.DEFAULT_MAX_TCP_CONNECTIONS;
    Poll.until(Duration.ofSeconds(30), () -> evicted("tls") >= atLeast && evicted("https") >= atLeast,
        "idle DoT and DoH connections evicted");
    System.out.printf("EncryptedTransportsFloodTest: %d idle DoT and %d idle HTTP/2 DoH connections in %d ms;"
            + " %d DoT, %d DoH and %d UDP answers during the flood; evicted %.0f tls, %.0f https; rejected %.0f%n",
        CONNECTIONS, CONNECTIONS, floodMillis, dotAnswers, dohAnswers, udpAnswers, evicted("tls"),
        evicted("https"), count(DnsMetrics.TCP_REJECTED));
    assertThat(count(DnsMetrics.TCP_REJECTED)).isZero();
    assertAnswered(dotQueryOnNewConnection(dot));
    assertAnswered(dohQueryOnNewConnection(doh));
  }

  private static final byte[] HTTP2_PREFACE_AND_SETTINGS = concat(
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
      new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // length 0, type SETTINGS, no flags, stream 0

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  /** Holds the DoT flood to {@link #DOT_FLOOD_PER_SECOND}. */
  private static void pace(long startedNanos, int opened) {
    long ahead = startedNanos + opened * 1_000_000_000L / DOT_FLOOD_PER_SECOND - System.nanoTime();
    if (ahead > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(ahead);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A connection to a TLS port that never sends its ClientHello. */
  private static Socket idleTcp(InetSocketAddress address) {
    try {
      return new Socket(address.getAddress(), address.getPort());
    } catch (IOException e) {
      throw new IllegalStateException("flood connection failed", e);
    }
  }

  /** A TLS connection negotiated for HTTP/2 (ALPN h2) that sent the HTTP/2 preface, then silence. */
  private static Socket idleHttp2(InetSocketAddress address) {
    try {
      SSLSocket socket =
          (SSLSocket) trustLabCa.getSocketFactory().createSocket(address.getAddress(), address.getPort());
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      // RFC 9113 3.4: the client connection preface, then an empty SETTINGS frame: a live HTTP/2
      // connection that never opens a stream.
      socket.getOutputStream().write(HTTP2_PREFACE_AND_SETTINGS);
      socket.getOutputStream().flush();
      return socket;
    } catch (IOException e) {
      throw new IllegalStateException("DoH flood connection failed", e);
    }
  }

  /** A new DoT client: a fresh connection, one query, the answer, close. */
  private static Message dotQueryOnNewConnection(InetSocketAddress dot) throws IOException {
    return LabCaClients.dotQuery(trustLabCa, dot, query());
  }

  /** A new DoH client (its own HTTP/2 connection): one GET (RFC 8484 4.1). */
  private static Message dohQueryOnNewConnection(InetSocketAddress doh) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trustLabCa).version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Message query = query();
    query.getHeader().setID(0);
    String dns = Base64.getUrlEncoder().withoutPadding().encodeToString(query.toWire());
    URI uri = URI.create("https://127.0.0.1:" + doh.getPort() + "/dns-query?dns=" + dns);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("accept", "application/dns-message").timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return new Message(response.body());
  }

  private static Message query() throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    return query;
  }

  private static void assertAnswered(Message response) {
    assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(response.getSection(Section.ANSWER)).hasSize(1);
  }

  private static double evicted(String transport) {
    Counter counter = recursor.server().registry().find(DnsMetrics.TCP_EVICTED).tag("transport", transport).counter();
    return counter == null ? 0 : counter.count();
  }

  private static double count(String meter) {
    return recursor.server().registry().find(meter).counters().stream().mapToDouble(Counter::count).sum();
  }
}
