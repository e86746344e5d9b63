package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** DNS over HTTPS (RFC 8484) and DNS over TLS (RFC 7858), trusting only the lab CA. */
class EncryptedTransportsTest {
  @TempDir static Path stateDir;

  @RegisterExtension
  static final RecursorExtension recursor =
      RecursorExtension.on(LabHierarchy.LAB_ZONES).withEncryptedTransports(() -> stateDir);
  private static SSLContext trustLabCa;

  @BeforeAll
  static void trustTheLabCa() throws Exception {
    trustLabCa = recursor.server().certificateAuthority().clientTlsContext();
  }

  @Test
  void servesOnTheTlsProviderThisRunAsksFor() {
    // Both providers are tested (recursor/pom.xml's jdk-tls execution): this proves which one
    // served, so a run meant for the JDK's TLS cannot quietly test BoringSSL twice.
    assertThat(SslContext.defaultServerProvider()).isEqualTo(TlsProviderOfThisRun.expected());
  }

  @Test
  void exportsTheLabCaSoClientsCanTrustIt() {
    assertThat(Files.exists(recursor.server().certificateAuthority().certificatePath())).isTrue();
  }

  @Test
  void answersDohGetOverHttp2() throws Exception {
    HttpResponse<byte[]> response = doh(HttpClient.Version.HTTP_2, false);

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertAnswer(response);
  }

  @Test
  void answersDohPostOverHttp11() throws Exception {
    HttpResponse<byte[]> response = doh(HttpClient.Version.HTTP_1_1, true);

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertAnswer(response);
  }

  @Test
  void answersDohPostOverHttp2() throws Exception {
    HttpResponse<byte[]> response = doh(HttpClient.Version.HTTP_2, true);

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertAnswer(response);
  }

  @Test
  void refusesAnHttp2PostBodyLongerThanADnsMessage() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trustLabCa).version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(5)).build();
    // RFC 8484 6: a DNS message is at most 65535 bytes; this body comes in several DATA frames.
    URI uri = URI.create("https://127.0.0.1:" + recursor.server().dohAddress().getPort() + "/dns-query");
    HttpRequest tooLong = HttpRequest.newBuilder(uri)
        .header("content-type", "application/dns-message").timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[70_000])).build();
    Message query = query();
    query.getHeader().setID(0);
    HttpRequest next = HttpRequest.newBuilder(uri)
        .header("content-type", "application/dns-message").timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(query.toWire())).build();

    HttpResponse<String> refused = client.send(tooLong, HttpResponse.BodyHandlers.ofString());
    HttpResponse<byte[]> answered = client.send(next, HttpResponse.BodyHandlers.ofByteArray());

    assertThat(refused.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(refused.statusCode()).isEqualTo(413);
    // The same client, so the same connection: the refused stream did not end it.
    assertAnswer(answered);
  }

  @Test
  void answersDnsOverTls() throws Exception {
    Message reply = LabCaClients.dotQuery(trustLabCa, recursor.server().dotAddress(), query());

    assertThat(Dig.answerWithoutTtl(reply)).containsExactly("www.google.com. A " + web());
  }

  @Test
  void showsOneCertificateOnDotAndDohValidNowForTheRecursorsNames() throws Exception {
    // Issued at the first DoT or DoH connection, whichever comes first, and shared by both.
    X509Certificate dot = leafOf(recursor.server().dotAddress());
    X509Certificate doh = leafOf(recursor.server().dohAddress());

    assertThat(doh).isEqualTo(dot);
    dot.checkValidity();
    assertThat(dot.getSubjectAlternativeNames())
        .extracting(name -> name.get(1).toString())
        .contains("recursor", "dns.lab", "localhost", "127.0.0.1");
  }

  /** A handshake that checks the certificate names the address connected to (RFC 6125 6.2.1). */
  private static X509Certificate leafOf(InetSocketAddress address) throws Exception {
    try (SSLSocket socket = (SSLSocket) trustLabCa.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static HttpResponse<byte[]> doh(HttpClient.Version version, boolean post) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trustLabCa).version(version)
        .connectTimeout(Duration.ofSeconds(5)).build();
    InetSocketAddress doh = recursor.server().dohAddress();
    String base = "https://127.0.0.1:" + doh.getPort() + "/dns-query";
    Message query = query();
    query.getHeader().setID(0); // RFC 8484 4.1: ID 0 for cache friendliness
    byte[] wire = query.toWire();
    HttpRequest request = post
        ? HttpRequest.newBuilder(URI.create(base)).header("content-type", "application/dns-message")
            .header("accept", "application/dns-message").POST(HttpRequest.BodyPublishers.ofByteArray(wire)).build()
        : HttpRequest.newBuilder(URI.create(base + "?dns=" + Base64.getUrlEncoder().withoutPadding().encodeToString(wire)))
            .header("accept", "application/dns-message").GET().build();
    request = HttpRequest.newBuilder(request, (k, v) -> true).timeout(Duration.ofSeconds(10)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray()); // bounded by the request timeout
  }

  private static void assertAnswer(HttpResponse<byte[]> response) throws Exception {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/dns-message");
    assertThat(response.headers().firstValue("cache-control").orElseThrow()).startsWith("max-age=");
    assertThat(Dig.answerWithoutTtl(new Message(response.body()))).containsExactly("www.google.com. A " + web());
  }

  private static Message query() throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("www.google.com."), Type.A, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    return query;
  }

  private static String web() {
    return recursor.lab().plan().address(dev.dnslab.core.lab.LabRole.WEB).getHostAddress();
  }
}
