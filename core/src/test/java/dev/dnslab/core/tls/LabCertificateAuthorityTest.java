package dev.dnslab.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabCertificateAuthorityTest {
  @TempDir Path stateDir;

  @Test
  void createsCaOnFirstStartAndReusesItAfterwards() throws Exception {
    LabCertificateAuthority first = LabCertificateAuthority.loadOrCreate(stateDir);
    LabCertificateAuthority second = LabCertificateAuthority.loadOrCreate(stateDir);

    assertThat(first.certificatePath()).isEqualTo(stateDir.resolve("ca.pem")).exists();
    assertThat(stateDir.resolve("ca-key.pem")).exists();
    assertThat(second.certificate()).isEqualTo(first.certificate());
    assertThat(Files.readString(first.certificatePath())).isEqualTo(first.certificatePem());
  }

  @Test
  void keepsTheCaKeyReadableOnlyByItsOwner() throws Exception {
    LabCertificateAuthority.loadOrCreate(stateDir);

    assertThat(Files.getPosixFilePermissions(stateDir.resolve("ca-key.pem")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void namesItselfAsALabCaThatNobodyTrustsByDefault() {
    X509Certificate ca = LabCertificateAuthority.loadOrCreate(stateDir).certificate();

    assertThat(ca.getSubjectX500Principal().getName()).contains("not trusted unless you add it");
    assertThat(ca.getBasicConstraints()).isZero();
  }

  @Test
  void concurrentStartsShareOneCa() {
    var a = CompletableFuture.supplyAsync(() -> LabCertificateAuthority.loadOrCreate(stateDir));
    var b = CompletableFuture.supplyAsync(() -> LabCertificateAuthority.loadOrCreate(stateDir));

    assertThat(a.join().certificate()).isEqualTo(b.join().certificate());
  }

  @Test
  void issuesCertificatesThatAClientTrustingOnlyTheExportedCaAccepts() throws Exception {
    LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(stateDir);
    IssuedCertificate issued =
        ca.issue(List.of("www.google.com", "www.naver.com"), List.of(InetAddress.getByName("127.53.0.80")));

    X509TrustManager trust = trustManagerFor(Files.readString(ca.certificatePath()));
    trust.checkServerTrusted(issued.chain().toArray(X509Certificate[]::new), "ECDHE_ECDSA");

    assertThat(issued.leaf().getSubjectAlternativeNames())
        .extracting(entry -> (String) entry.get(1))
        .containsExactly("www.google.com", "www.naver.com", "127.53.0.80");
    assertThat(issued.leaf().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
  }

  @Test
  void buildsServerContextsWithAndWithoutAlpn() {
    IssuedCertificate issued = LabCertificateAuthority.loadOrCreate(stateDir).issue(List.of("dns.lab"), List.of());

    assertThat(issued.serverContext(IssuedCertificate.HTTP_ALPN).applicationProtocolNegotiator().protocols())
        .containsExactly("h2", "http/1.1");
    assertThat(issued.serverContext(List.of()).applicationProtocolNegotiator().protocols()).isEmpty();
  }

  @Test
  void refusesAKeyThatDoesNotBelongToTheCertificate(@TempDir Path otherDir) throws Exception {
    LabCertificateAuthority.loadOrCreate(stateDir);
    LabCertificateAuthority.loadOrCreate(otherDir);
    Files.copy(otherDir.resolve("ca-key.pem"), stateDir.resolve("ca-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> LabCertificateAuthority.loadOrCreate(stateDir))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("is not the key of");
  }

  @Test
  void rejectsANameThatIsNotAHostName() {
    LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(stateDir);

    assertThatThrownBy(() -> ca.issue(List.of("not a name"), List.of()))
        .hasMessage("dnsName: not a name (expected: a host name such as www.google.com)");
  }

  private static X509TrustManager trustManagerFor(String caPem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry(
        "dnslab-ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return (X509TrustManager) factory.getTrustManagers()[0];
  }
}
