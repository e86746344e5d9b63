package dev.dnslab.web;

import dev.dnslab.testing.ServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A real WebServer on 127.0.0.1 with free ports, started before a test class and stopped after it,
 * and the clients tests talk to it with.
 *
 * <pre>{@code
 * @TempDir static Path stateDir;
 * @RegisterExtension static final RunningWebServer web = RunningWebServer.withBundledSites(() -> stateDir);
 * }</pre>
 */
final class RunningWebServer extends ServerExtension<WebServer> {
  /** How long any single client operation may take before a test fails instead of hanging. */
  static final Duration DEADLINE = Duration.ofSeconds(10);

  private final Supplier<Path> sites;
  private final Supplier<Path> stateDir;
  private WebLimits limits = WebLimits.DEFAULTS;

  private RunningWebServer(Supplier<Path> sites, Supplier<Path> stateDir) {
    this.sites = sites;
    this.stateDir = stateDir;
  }

  /**
   * The lab's bundled sites; {@code stateDir} is asked when the class starts, so a static
   * {@code @TempDir} field is already set.
   */
  static RunningWebServer withBundledSites(Supplier<Path> stateDir) {
    return new RunningWebServer(BundledSites::extract, stateDir);
  }

  /** Sites a test prepares itself: {@code sites} runs when the class starts, before the server(). */
  static RunningWebServer withSites(Supplier<Path> sites, Supplier<Path> stateDir) {
    return new RunningWebServer(sites, stateDir);
  }

  RunningWebServer limits(WebLimits value) {
    this.limits = value;
    return this;
  }

  /** A server of one test's own, started now; close it with try-with-resources. */
  static RunningWebServer startedNow(Path sites, Path stateDir, WebLimits limits) throws Exception {
    RunningWebServer web = new RunningWebServer(() -> sites, () -> stateDir).limits(limits);
    web.startNow();
    return web;
  }

  @Override
  protected WebServer start() throws BindException {
    WebServerConfig config = WebServerConfig.onPorts(InetAddress.getLoopbackAddress(), 0, 0, 0, sites.get(), stateDir.get())
        .withLimits(limits).withThreads(2);
    return new WebServer(config).start();
  }

  int httpPort() {
    return server().httpAddress().getPort();
  }

  int httpsPort() {
    return server().httpsAddress().getPort();
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + httpPort() + path);
  }

  URI https(String path) {
    return URI.create("https://127.0.0.1:" + httpsPort() + path);
  }

  URI admin(String path) {
    return URI.create("http://127.0.0.1:" + server().adminAddress().getPort() + path);
  }

  HttpClient http1Client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE).build();
  }

  /** A client that trusts only the exported lab CA: no system roots, no "trust all". */
  HttpClient tlsClient(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(trustingOnlyLabCa()).connectTimeout(DEADLINE).build();
  }

  SSLContext trustingOnlyLabCa() {
    return server().certificateAuthority().clientTlsContext();
  }


  HttpResponse<String> get(String host, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(http(path)).timeout(DEADLINE).header("Host", host);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(http1Client(), request.build());
  }

  static HttpResponse<String> send(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<byte[]> sendBytes(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends {@code request} byte for byte over a plain socket (no client normalises the path) and
   * returns everything the server sent until it closed the connection.
   */
  String raw(String request) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), httpPort())) {
      socket.setSoTimeout((int) DEADLINE.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readUntilClosed(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        received.write(buffer, 0, n);
      }
    } catch (java.net.SocketException e) {
      // A reset after the server's last byte still leaves a complete response to look at.
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  static int statusOf(String rawResponse) {
    if (!rawResponse.startsWith("HTTP/1.1 ")) {
      return -1;
    }
    return Integer.parseInt(rawResponse.substring(9, 12));
  }
}
