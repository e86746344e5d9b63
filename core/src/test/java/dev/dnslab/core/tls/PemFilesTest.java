package dev.dnslab.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
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

  @Test
  void writesCertificatesAndKeysAsBouncyCastlesPemWriterDoes() throws Exception {
    LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(dir.resolve("state"));
    X509Certificate leaf = ca.issue(List.of("www.google.com"), List.of()).leaf();
    PrivateKey key = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();

    assertThat(PemFiles.toPem(ca.certificate())).isEqualTo(bouncyCastlePem(ca.certificate()));
    assertThat(PemFiles.toPem(leaf)).isEqualTo(bouncyCastlePem(leaf));
    assertThat(PemFiles.toPem(key)).isEqualTo(bouncyCastlePem(new PemObject("PRIVATE KEY", key.getEncoded())));
  }

  /** What PemFiles wrote through BouncyCastle's JcaPEMWriter until it wrote PEM itself. */
  private static String bouncyCastlePem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  private Path write(String name, String pem) throws IOException {
    return Files.writeString(dir.resolve(name), pem);
  }
}
