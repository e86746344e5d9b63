package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a client that trusts only the exported lab CA, over HTTP/2 and HTTP/1.1. */
class HttpsTest {
  @TempDir static Path stateDir;
  @RegisterExtension static final RunningWebServer web = RunningWebServer.withBundledSites(() -> stateDir);

  @Test
  void negotiatesHttp2ByAlpnAndAnswersOnTheSamePathAsHttp11() {
    HttpResponse<String> response =
        RunningWebServer.send(
            web.tlsClient(HttpClient.Version.HTTP_2),
            HttpRequest.newBuilder(web.https("/_lab/echo?format=json")).timeout(RunningWebServer.DEADLINE).build());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"protocol\" : \"h2\"").contains("\"scheme\" : \"https\"").contains(":authority");
  }

  @Test
  void servesHttp11OverTlsToAClientThatOffersOnlyHttp11() {
    HttpResponse<String> response =
        RunningWebServer.send(
            web.tlsClient(HttpClient.Version.HTTP_1_1),
            HttpRequest.newBuilder(web.https("/")).header("Host", "www.naver.com").timeout(RunningWebServer.DEADLINE).build());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(response.body()).contains("<b>www.naver.com</b>");
  }

  @Test
  void servesSitesOverHttp2() {
    HttpResponse<String> response =
        RunningWebServer.send(
            web.tlsClient(HttpClient.Version.HTTP_2),
            HttpRequest.newBuilder(web.https("/")).timeout(RunningWebServer.DEADLINE).build());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    // :authority is 127.0.0.1 here, which names no site: the unknown-host page, over h2.
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("http://www.google.com/");
  }

  @Test
  void echoesARequestBodySentOverHttp2() {
    HttpResponse<String> response =
        RunningWebServer.send(
            web.tlsClient(HttpClient.Version.HTTP_2),
            HttpRequest.newBuilder(web.https("/_lab/echo?format=json"))
                .POST(HttpRequest.BodyPublishers.ofString("name=dnslab&lesson=http2"))
                .timeout(RunningWebServer.DEADLINE)
                .build());

    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"method\" : \"POST\"").contains("name=dnslab&lesson=http2");
  }

  @Test
  void answers413ToAnHttp2BodyOverTheLimitAndKeepsTheConnection() {
    HttpClient h2 = web.tlsClient(HttpClient.Version.HTTP_2);
    byte[] tooLarge = new byte[WebLimits.DEFAULTS.maxBodyBytes() + 1];

    HttpResponse<String> refused =
        RunningWebServer.send(
            h2,
            HttpRequest.newBuilder(web.https("/_lab/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(tooLarge))
                .timeout(RunningWebServer.DEADLINE)
                .build());
    HttpResponse<String> next =
        RunningWebServer.send(h2, HttpRequest.newBuilder(web.https("/_lab/echo?format=json")).timeout(RunningWebServer.DEADLINE).build());

    assertThat(refused.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(next.statusCode()).isEqualTo(200);
  }

  @Test
  void answersManyConcurrentHttp2StreamsOnOneConnection() {
    HttpClient h2 = web.tlsClient(HttpClient.Version.HTTP_2);
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      responses.add(
          h2.sendAsync(
              HttpRequest.newBuilder(web.https("/_lab/echo?format=json&n=" + i)).timeout(RunningWebServer.DEADLINE).build(),
              HttpResponse.BodyHandlers.ofString()));
    }

    for (int i = 0; i < responses.size(); i++) {
      HttpResponse<String> response = responses.get(i).join();
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(response.body()).contains("n=" + i + "\"");
    }
  }

  @Test
  void showsEachSiteItsOwnCertificateBySni() throws Exception {
    try (SSLSocket socket =
        (SSLSocket) web.trustingOnlyLabCa().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), web.httpsPort())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName("www.naver.com")));
      socket.setSSLParameters(parameters);
      socket.startHandshake();

      X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];

      assertThat(leaf.getSubjectAlternativeNames()).extracting(name -> (String) name.get(1)).contains("www.naver.com").doesNotContain("www.google.com");
      assertThat(leaf.getIssuerX500Principal().getName()).contains("dnslab lab CA");
    }
  }

  @Test
  void isNotTrustedByAClientThatWasNotToldAboutTheLabCa() {
    HttpClient systemTrust = HttpClient.newBuilder().connectTimeout(RunningWebServer.DEADLINE).build();

    assertThatThrownBy(() -> RunningWebServer.send(systemTrust, HttpRequest.newBuilder(web.https("/")).build()))
        .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
  }

  @Test
  void exportsTheLabCaForDownload() {
    HttpResponse<String> response = web.get("www.google.com", "/_lab/ca.pem");

    assertThat(response.body()).isEqualTo(web.server().certificateAuthority().certificatePem());
  }
}
