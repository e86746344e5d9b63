package dev.dnslab.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
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

    // The CA as a client gets it: read back from the exported ca.pem by a second load.
    SSLContext client = LabCertificateAuthority.loadOrCreate(stateDir).clientTlsContext();

    assertThat(handshake(issued, client, "www.naver.com")).isEqualTo(issued.leaf());

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
  void makesACaAtOnceWhenTheFolderHasNoneToReadOnFirstUse() {
    BuiltOnFirstUse<LabCertificateAuthority> ca = LabCertificateAuthority.loadOnFirstUse(stateDir);

    assertThat(stateDir.resolve("ca.pem")).exists();
    assertThat(stateDir.resolve("ca-key.pem")).exists();
    assertThat(ca.get().certificate()).isEqualTo(LabCertificateAuthority.loadOrCreate(stateDir).certificate());
  }

  @Test
  void readsAStoredCaOnlyWhenFirstAskedAndTheSameOneAfterwards() throws Exception {
    LabCertificateAuthority stored = LabCertificateAuthority.loadOrCreate(stateDir);
    BuiltOnFirstUse<LabCertificateAuthority> ca = LabCertificateAuthority.loadOnFirstUse(stateDir);

    assertThat(ca.isBuilt()).isFalse();
    assertThat(ca.get().certificate()).isEqualTo(stored.certificate());
    assertThat(ca.get()).isSameAs(ca.get());
  }

  @Test
  void refusesABrokenStoredCaWhenFirstAskedAndHalfACaAtOnce(@TempDir Path otherDir) throws Exception {
    LabCertificateAuthority.loadOrCreate(stateDir);
    LabCertificateAuthority.loadOrCreate(otherDir);
    Files.copy(otherDir.resolve("ca-key.pem"), stateDir.resolve("ca-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.delete(otherDir.resolve("ca-key.pem"));

    BuiltOnFirstUse<LabCertificateAuthority> mismatched = LabCertificateAuthority.loadOnFirstUse(stateDir);
    assertThatThrownBy(mismatched::get).isInstanceOf(UncheckedIOException.class).hasMessageContaining("is not the key of");
    assertThatThrownBy(() -> LabCertificateAuthority.loadOnFirstUse(otherDir))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("found only one of ca.pem and ca-key.pem");
  }

  @Test
  void refusesAStoredCaFileThatIsNotItsPemBlockAtOnce(@TempDir Path otherDir) throws Exception {
    LabCertificateAuthority.loadOrCreate(stateDir);
    LabCertificateAuthority.loadOrCreate(otherDir);
    String certificate = Files.readString(stateDir.resolve("ca.pem"));
    // A truncated copy: the END line lost.
    Files.writeString(stateDir.resolve("ca.pem"), certificate.substring(0, certificate.length() / 2));
    // The certificate where the key belongs.
    Files.copy(otherDir.resolve("ca.pem"), otherDir.resolve("ca-key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> LabCertificateAuthority.loadOnFirstUse(stateDir))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(stateDir.resolve("ca.pem").toString());
    assertThatThrownBy(() -> LabCertificateAuthority.loadOnFirstUse(otherDir))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(otherDir.resolve("ca-key.pem") + ": expected a PEM PRIVATE KEY")
        .hasMessageContaining("found CERTIFICATE");
  }

  @Test
  void rejectsANameThatIsNotAHostName() {
    LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(stateDir);

    assertThatThrownBy(() -> ca.issue(List.of("not a name"), List.of()))
        .hasMessage("dnsName: not a name (expected: a host name such as www.google.com)");
  }

  @Test
  void issuesOnFirstUseOnlyWhenAskedAndThenTheSameCertificateToEveryCaller() throws Exception {
    LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(stateDir);
    BuiltOnFirstUse<IssuedCertificate> later =
        ca.issueOnFirstUse(List.of("recursor", "dns.lab"), List.of(InetAddress.getByName("127.53.0.53")));

    assertThat(later.isBuilt()).isFalse();
    IssuedCertificate issued = later.get();

    assertThat(later.get()).isSameAs(issued);
    assertThat(handshake(issued, ca.clientTlsContext(), "dns.lab")).isEqualTo(issued.leaf());
    assertThat(issued.leaf().getSubjectAlternativeNames())
        .extracting(entry -> (String) entry.get(1))
        .containsExactly("recursor", "dns.lab", "127.53.0.53");
    // Valid from when it was issued (back-dated for clock skew) for 90 days, as one issued at start.
    issued.leaf().checkValidity();
    assertThat(issued.leaf().getNotAfter().toInstant())
        .isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(89)), java.time.Instant.now().plus(java.time.Duration.ofDays(90)));
  }

  @Test
  void rejectsANameThatIsNotAHostNameWhenAskedToIssueOnFirstUse() {
    LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(stateDir);

    assertThatThrownBy(() -> ca.issueOnFirstUse(List.of("www.google.com", "not a name"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dnsName: not a name (expected: a host name such as www.google.com)");
    assertThatThrownBy(() -> ca.issueOnFirstUse(List.of(), List.of()))
        .hasMessage("dnsNames and ipAddresses: both empty (expected: at least one name)");
  }

  @Test
  void checksWithoutIssuingWhatIssueWouldRefuse() throws Exception {
    assertThatThrownBy(() -> LabCertificateAuthority.checkIssuable(List.of("www.google.com", "not a name"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dnsName: not a name (expected: a host name such as www.google.com)");
    assertThatThrownBy(() -> LabCertificateAuthority.checkIssuable(List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dnsNames and ipAddresses: both empty (expected: at least one name)");

    LabCertificateAuthority.checkIssuable(List.of("www.google.com", "*.naver.com."), List.of(InetAddress.getByName("127.53.0.80")));
  }

  /**
   * A real TLS handshake on loopback: a Netty server with {@code issued}, a JDK client checking
   * {@code host} against the certificate (RFC 6125); returns the leaf the client accepted.
   */
  private static Certificate handshake(IssuedCertificate issued, SSLContext client, String host) throws Exception {
    SslContext server = issued.serverContext(List.of());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(server.newHandler(ch.alloc()));
            }
          })
          .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
      int port = ((InetSocketAddress) listener.localAddress()).getPort();
      try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(host)));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket.getSession().getPeerCertificates()[0];
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
