package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.dnslab.core.metrics.DnsMetrics;
import dev.dnslab.core.server.HandlerChain;
import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.testing.HeldAnswers;
import dev.dnslab.core.testing.Poll;
import dev.dnslab.core.tls.IssuedCertificate;
import dev.dnslab.core.tls.LabCertificateAuthority;
import dev.dnslab.core.wire.ResponseSizeLimit;
import dev.dnslab.recursor.doh.DohServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The DoH server's idle timeout and connection cap over real sockets, with real TLS, HTTP/2 and
 * HTTP/1.1 clients: a silent connection is closed after the idle timeout (HTTP/2 says GOAWAY
 * first), one whose query is still being answered is not, and a new client is served while the cap
 * is filled by idle connections, by closing the idlest (RFC 7766 6.2.3, RFC 9210 3.4). The server
 * answers from a one-line chain: what is tested is the transport, not the recursor. It answers
 * {@code held.test.} only when the test completes that query's future, from the test's thread (as a
 * recursor's answer comes from another thread than the connection's); the server has one event loop,
 * so the idle checks of all connections run in the order of their deadlines.
 */
class DohIdleConnectionTest {
  /**
   * Short, so a test waits a few seconds at most; long enough that a loaded machine's pause between
   * a client's handshake and its first request is not taken for idleness.
   */
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

  /** Longer than every deadline below: what closes a connection then is eviction, not idleness. */
  private static final Duration NO_IDLE_TIMEOUT = Duration.ofMinutes(5);

  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private static final String HELD = "held.test.";

  private static final byte HTTP2_SETTINGS = 0x4;
  private static final byte HTTP2_GOAWAY = 0x7;

  @TempDir static Path stateDir;

  private static IssuedCertificate certificate;
  private static SSLContext trustLabCa;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HeldAnswers held = new HeldAnswers(HELD);
  private final List<SSLSocket> clients = new ArrayList<>();
  private DohServer server;

  @BeforeAll
  static void issueTheCertificate() throws Exception {
    LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(stateDir);
    certificate = ca.issue(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()));
    trustLabCa = ca.clientTlsContext();
    // One exchange per HTTP version first, so the first test's timings do not include loading and
    // compiling the TLS, HTTP and DNS code on both sides.
    try (DohServer warmUp = startServer(new SimpleMeterRegistry(), NO_IDLE_TIMEOUT, 8, new HeldAnswers(HELD))) {
      for (HttpClient.Version version : HttpClient.Version.values()) {
        assertThat(dohGet(warmUp, version, "www.test.").statusCode()).isEqualTo(200);
      }
    }
  }

  @AfterEach
  void stop() throws IOException {
    held.releaseAll();
    for (SSLSocket client : clients) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void closesAnHttp2ConnectionThatStaysIdleWithGoaway() throws Exception {
    // given a DoH server with a short idle timeout and an HTTP/2 client that opened no stream
    start(IDLE_TIMEOUT, 8);
    SSLSocket client = idleHttp2();

    // when the client stays silent
    List<Byte> frameTypes = http2FrameTypesUntilClosed(client);

    // then the server closed the connection, saying GOAWAY first (RFC 9113 6.8)
    assertThat(frameTypes).contains(HTTP2_SETTINGS).endsWith(HTTP2_GOAWAY);
  }

  @Test
  void closesAnHttp11ConnectionThatStaysIdleAfterItsAnswer() throws Exception {
    // given an HTTP/1.1 keep-alive connection that got its answer
    start(IDLE_TIMEOUT, 8);
    SSLSocket client = tls("http/1.1");
    sendGet(client, "www.test.");

    // when it asks nothing more
    String received = readUntilClosed(client);

    // then the server closed it after the answer
    assertThat(received).startsWith("HTTP/1.1 200 OK").contains("application/dns-message");
  }

  @Test
  void keepsAConnectionWhoseQueryIsStillBeingAnswered() throws Exception {
    // given a client waiting in silence for a held answer, and a connection opened after it that stays silent
    start(IDLE_TIMEOUT, 8);
    SSLSocket client = tls("http/1.1");
    sendGet(client, HELD);
    Poll.until(DEADLINE, () -> held.count() == 1, "the held query in flight");
    SSLSocket silent = tls("http/1.1");

    // when the silent one has been closed as idle (the waiting one's idle check came first)
    assertThat(readUntilClosed(silent)).as("sent to the silent connection").isEmpty();
    held.release(0);

    // then the held answer still came on the waiting connection, which was closed only after it
    assertThat(readUntilClosed(client)).startsWith("HTTP/1.1 200 OK");
  }

  @Test
  void servesANewClientWhileTheCapIsFilledByIdleConnections() throws Exception {
    // given a cap of 4 connections, all held by idle HTTP/2 clients, and no idle timeout to help
    start(NO_IDLE_TIMEOUT, 4);
    SSLSocket idlest = idleHttp2();
    for (int i = 1; i < 4; i++) {
      idleHttp2();
    }

    // when a new client asks over HTTP/2
    HttpResponse<byte[]> response = dohGet(server, HttpClient.Version.HTTP_2, "www.test.");

    // then it is answered, and the connection idle longest was closed to admit it
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new Message(response.body()).getRcode()).isEqualTo(Rcode.NOERROR);
    // Closed within the deadline (readUntilClosed fails otherwise). What it read first is not
    // asserted: closing a connection whose preface the server has not read yet makes the kernel send
    // a reset, which may discard the server's SETTINGS and GOAWAY before the client reads them.
    assertThatCode(() -> readUntilClosed(idlest)).doesNotThrowAnyException();
    assertThat(count(DnsMetrics.TCP_EVICTED)).isEqualTo(1);
    assertThat(count(DnsMetrics.TCP_REJECTED)).isZero();
  }

  private void start(Duration idleTimeout, int maxConnections) throws Exception {
    server = startServer(registry, idleTimeout, maxConnections, held);
  }

  /** A server answering NOERROR at once, or for {@link #HELD} when the test releases it from {@code held}. */
  private static DohServer startServer(SimpleMeterRegistry registry, Duration idleTimeout, int maxConnections,
      HeldAnswers held) throws Exception {
    HandlerChain chain = HandlerChain.of(held);
    return DohServer.builder()
        .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .tls(certificate.serverContext(IssuedCertificate.HTTP_ALPN))
        .processor(new QueryProcessor(chain, new DnsMetrics(registry, "recursor"), ResponseSizeLimit.DEFAULT_EDNS_UDP))
        .maxConnections(maxConnections)
        .idleTimeout(idleTimeout)
        .build()
        .start();
  }

  /** A TLS connection to the server that negotiated {@code alpn}. */
  private SSLSocket tls(String alpn) throws IOException {
    InetSocketAddress address = server.address();
    SSLSocket socket = (SSLSocket) trustLabCa.getSocketFactory().createSocket(address.getAddress(), address.getPort());
    clients.add(socket);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {alpn});
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    assertThat(socket.getApplicationProtocol()).isEqualTo(alpn);
    return socket;
  }

  /** An HTTP/2 connection that sent its preface and an empty SETTINGS (RFC 9113 3.4), then nothing. */
  private SSLSocket idleHttp2() throws IOException {
    SSLSocket socket = tls("h2");
    socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(new byte[] {0, 0, 0, HTTP2_SETTINGS, 0, 0, 0, 0, 0});
    socket.getOutputStream().flush();
    return socket;
  }

  /** An RFC 8484 4.1 GET for {@code name} A on a keep-alive HTTP/1.1 connection. */
  private static void sendGet(SSLSocket socket, String name) throws IOException {
    String request = "GET /dns-query?dns=" + base64Query(name) + " HTTP/1.1\r\n"
        + "Host: localhost\r\nAccept: application/dns-message\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** A new client on its own connection of HTTP {@code version} (the JDK's client). */
  private static HttpResponse<byte[]> dohGet(DohServer server, HttpClient.Version version, String name)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trustLabCa).version(version)
        .connectTimeout(DEADLINE).build();
    URI uri = URI.create("https://127.0.0.1:" + server.address().getPort() + "/dns-query?dns=" + base64Query(name));
    HttpRequest request = HttpRequest.newBuilder(uri).header("accept", "application/dns-message").timeout(DEADLINE)
        .GET().build();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.version()).isEqualTo(version);
    return response;
  }

  private static String base64Query(String name) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    query.getHeader().setID(0); // RFC 8484 4.1: 0, so GETs are cache-friendly
    return Base64.getUrlEncoder().withoutPadding().encodeToString(query.toWire());
  }

  /** The types of the HTTP/2 frames the server sends (RFC 9113 4.1) until it closes the connection. */
  private static List<Byte> http2FrameTypesUntilClosed(SSLSocket socket) throws IOException {
    byte[] bytes = readUntilClosed(socket).getBytes(StandardCharsets.ISO_8859_1);
    List<Byte> types = new ArrayList<>();
    for (int at = 0; at + 9 <= bytes.length; ) {
      int length = (bytes[at] & 0xff) << 16 | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff);
      types.add(bytes[at + 3]);
      at += 9 + length;
    }
    return types;
  }

  /**
   * Everything the server sends until it closes the connection (end of stream or a reset), as
   * ISO-8859-1 text; fails when the connection is still open at the deadline.
   */
  private static String readUntilClosed(SSLSocket socket) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new AssertionError("connection still open after " + DEADLINE);
      }
      socket.setSoTimeout((int) left);
      int read;
      try {
        read = in.read(buffer);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("connection still open after " + DEADLINE, e);
      } catch (SocketException e) {
        return received.toString(StandardCharsets.ISO_8859_1); // reset: closed as well
      }
      if (read < 0) {
        return received.toString(StandardCharsets.ISO_8859_1);
      }
      received.write(buffer, 0, read);
    }
  }

  private double count(String meter) {
    return registry.find(meter).tag("transport", "https").counters().stream().mapToDouble(Counter::count).sum();
  }
}
