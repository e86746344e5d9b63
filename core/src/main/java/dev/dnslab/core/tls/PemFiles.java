package dev.dnslab.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Reads and writes PEM text (RFC 7468) through BouncyCastle, so no DER is built by hand. Public for
 * the DNSSEC key directory, which keeps zone keys as PKCS#8 PEM like the lab CA.
 */
public final class PemFiles {
  private PemFiles() {}

  public static String toPem(Object certificateOrKey) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      if (certificateOrKey instanceof PrivateKey key) {
        // PKCS#8 ("BEGIN PRIVATE KEY") is what Netty, nginx, curl and unbound all read.
        writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
      } else {
        writer.writeObject(certificateOrKey);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  static X509Certificate readCertificate(Path file) throws IOException {
    Object parsed = parse(file);
    if (!(parsed instanceof X509CertificateHolder holder)) {
      throw new IOException(file + ": expected a PEM CERTIFICATE, found " + describe(parsed));
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IOException(file + ": unreadable certificate: " + e.getMessage(), e);
    }
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    Object parsed = parse(file);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    if (parsed instanceof PrivateKeyInfo info) {
      return converter.getPrivateKey(info);
    }
    if (parsed instanceof PEMKeyPair pair) {
      return converter.getKeyPair(pair).getPrivate();
    }
    throw new IOException(file + ": expected a PEM PRIVATE KEY, found " + describe(parsed));
  }

  /** Writes through a temporary file and a rename, so a reader never sees half a file. */
  public static void writeAtomically(Path file, String pem, boolean secret) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      if (secret) {
        restrictToOwner(temp);
      }
      Files.writeString(temp, pem, StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the user's profile folder is already private.
    }
  }

  private static Object parse(Path file) throws IOException {
    try (Reader reader = new StringReader(Files.readString(file, StandardCharsets.US_ASCII));
        PEMParser parser = new PEMParser(reader)) {
      return parser.readObject();
    }
  }

  private static String describe(Object parsed) {
    return parsed == null ? "no PEM block" : parsed.getClass().getSimpleName();
  }
}
