package dev.dnslab.web;

import java.io.ByteArrayInputStream;
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
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A real WebServer on 127.0.0.1 with free ports, and the clients tests talk to it with. */
final class RunningWebServer implements AutoCloseable {
  /** How long any single client operation may take before a test fails instead of hanging. */
  static final Duration DEADLINE = Duration.ofSeconds(10);

  final WebServer server;

  private RunningWebServer(WebServer server) {
    this.server = server;
  }

  static RunningWebServer start(Path sites, Path stateDir, WebLimits limits) {
    WebServerConfig config =
        WebServerConfig.onPorts(InetAddress.getLoopbackAddress(), 0, 0, 0, sites, stateDir).withLimits(limits).withThreads(2);
    try {
      return new RunningWebServer(new WebServer(config).start());
    } catch (BindException e) {
      throw new IllegalStateException(e);
    }
  }

  static RunningWebServer start(Path sites, Path stateDir) {
    return start(sites, stateDir, WebLimits.DEFAULTS);
  }

  int httpPort() {
    return server.httpAddress().getPort();
  }

  int httpsPort() {
    return server.httpsAddress().getPort();
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + httpPort() + path);
  }

  URI https(String path) {
    return URI.create("https://127.0.0.1:" + httpsPort() + path);
  }

  URI admin(String path) {
    return URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + path);
  }

  HttpClient http1Client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE).build();
  }

  /** A client that trusts only the exported lab CA: no system roots, no "trust all". */
  HttpClient tlsClient(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(trustingOnlyLabCa()).connectTimeout(DEADLINE).build();
  }

  SSLContext trustingOnlyLabCa() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      byte[] pem = server.certificateAuthority().certificatePem().getBytes(StandardCharsets.US_ASCII);
      store.setCertificateEntry(
          "dnslab-ca", CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem)));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
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

  @Override
  public void close() {
    server.close();
  }
}
