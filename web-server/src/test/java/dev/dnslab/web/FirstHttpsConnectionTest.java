package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site certificates are issued at the first HTTPS connection, not at start: that first
 * handshake is checked here on a server no other test has reached over HTTPS (one test only).
 */
class FirstHttpsConnectionTest {
  @TempDir static Path stateDir;
  @RegisterExtension static final RunningWebServer web = RunningWebServer.withBundledSites(() -> stateDir);

  @Test
  void firstHandshakeShowsTheSiteItsOwnCertificateValidNowFromTheCaExportedAtStart() throws Exception {
    // ca.pem is written at start, before any HTTPS connection: users and the recursor trust it.
    assertThat(Files.readString(web.server().certificateAuthority().certificatePath()))
        .isEqualTo(web.server().certificateAuthority().certificatePem());

    try (SSLSocket socket =
        (SSLSocket) web.trustingOnlyLabCa().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), web.httpsPort())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName("www.naver.com")));
      // The client checks the certificate names the host it asked for (RFC 6125).
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.setSoTimeout((int) RunningWebServer.DEADLINE.toMillis());
      socket.startHandshake();

      X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];

      assertThat(leaf.getSubjectAlternativeNames()).extracting(name -> (String) name.get(1))
          .contains("www.naver.com").doesNotContain("www.google.com");
      leaf.checkValidity();
      assertThat(leaf.getNotAfter().toInstant())
          .isBetween(Instant.now().plus(Duration.ofDays(89)), Instant.now().plus(Duration.ofDays(90)));
      assertThat(leaf.getIssuerX500Principal()).isEqualTo(web.server().certificateAuthority().certificate().getSubjectX500Principal());
    }
  }
}
