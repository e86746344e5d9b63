package dev.dnslab.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
  @TempDir Path dir;

  @Test
  void readsBackThePkcs8KeysItWritesForEveryLabAlgorithm() throws Exception {
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      PrivateKey written = KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate();
      Path file = write(algorithm + ".pem", PemFiles.toPem(written));

      PrivateKey read = PemFiles.readPrivateKey(file, algorithm);

      assertThat(read.getAlgorithm()).isEqualTo(written.getAlgorithm());
      assertThat(read.getEncoded()).isEqualTo(written.getEncoded());
      assertThat(read).isEqualTo(PemFiles.readPrivateKey(file));
    }
  }

  @Test
  void readsAKeyOfAnotherAlgorithmThanTheOneNamedAsPemParserDoes() throws Exception {
    PrivateKey written = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
    Path file = write("rsa.pem", PemFiles.toPem(written));

    assertThat(PemFiles.readPrivateKey(file, "EC").getEncoded()).isEqualTo(written.getEncoded());
  }

  @Test
  void readsTheCaCertificateItWrote() throws Exception {
    LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(dir.resolve("state"));
    Path file = write("ca.pem", ca.certificatePem());

    assertThat(PemFiles.readCertificate(file)).isEqualTo(ca.certificate());
  }

  @Test
  void saysWhatItFoundWhereACertificateWasExpected() throws Exception {
    PrivateKey key = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate();
    Path file = write("key-not-cert.pem", PemFiles.toPem(key));

    assertThatThrownBy(() -> PemFiles.readCertificate(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + ": expected a PEM CERTIFICATE, found PRIVATE KEY");
  }

  private Path write(String name, String pem) throws IOException {
    return Files.writeString(dir.resolve(name), pem);
  }
}
