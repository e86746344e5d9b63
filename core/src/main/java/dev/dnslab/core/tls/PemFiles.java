package dev.dnslab.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads and writes PEM text (RFC 7468); the DER inside comes from the JDK or BouncyCastle, never
 * built by hand. Public for the DNSSEC key directory, which keeps zone keys as PKCS#8 PEM like the
 * lab CA.
 */
public final class PemFiles {
  /** RFC 7468 2: generators wrap the base64 text at exactly 64 characters. */
  private static final int PEM_LINE = 64;

  private PemFiles() {}

  /**
   * The key as PKCS#8 PEM ("BEGIN PRIVATE KEY"): what Netty, nginx, curl and unbound all read.
   * Written with the JDK's Base64 in BouncyCastle's PemWriter layout (64-character lines, the
   * platform's line separator), so the text is what PemWriter wrote, without loading its writer
   * and the ASN.1 model behind it in every role that exports a certificate at start.
   */
  public static String toPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /** The certificate as PEM ("BEGIN CERTIFICATE", RFC 7468 5.1), laid out as {@link #toPem(PrivateKey)}. */
  public static String toPem(X509Certificate certificate) {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate: not encodable (" + e.getMessage() + ")", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String newline = System.lineSeparator();
    // The JDK's MIME encoder wraps at the line length it is given, with no separator after the last
    // line: the END line's own newline comes after it, as in BouncyCastle's PemWriter.
    Base64.Encoder lines = Base64.getMimeEncoder(PEM_LINE, newline.getBytes(StandardCharsets.US_ASCII));
    return "-----BEGIN " + type + "-----" + newline + lines.encodeToString(der) + newline
        + "-----END " + type + "-----" + newline;
  }

  static X509Certificate readCertificate(Path file) throws IOException {
    PemObject pem = readPem(file);
    if (pem == null || !pem.getType().equals("CERTIFICATE")) {
      throw new IOException(file + ": expected a PEM CERTIFICATE, found " + describe(pem));
    }
    try {
      // The JDK's own X.509 reader: the certificate is the JDK's either way, and BouncyCastle's
      // ASN.1 model of it (~100 classes) stays unloaded in a role that never issues one.
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getContent()));
    } catch (CertificateException e) {
      throw new IOException(file + ": unreadable certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code file}'s first PEM block is one of {@code types}, its base64 whole, without
   * parsing what it holds: BouncyCastle's PemReader alone, none of the JDK's X.509 or key factories
   * and their security providers. For a role that reads the file itself only at first use, so a
   * file that is not what it should be still stops its start, with the file and the reason.
   *
   * @throws IOException naming the file and what it found instead
   */
  static void checkPemBlock(Path file, List<String> types) throws IOException {
    PemObject pem;
    try {
      pem = readPem(file);
    } catch (IOException | RuntimeException unreadable) {
      throw new IOException(file + ": not a PEM file: " + unreadable.getMessage(), unreadable);
    }
    if (pem == null || !types.contains(pem.getType()) || pem.getContent().length == 0) {
      throw new IOException(file + ": expected a PEM " + String.join(" or ", types) + ", found " + describe(pem));
    }
  }

  /**
   * The private key in {@code file}, a key of the JCA {@code algorithm} ({@code EC}, {@code RSA},
   * {@code Ed25519}). PKCS#8 ("BEGIN PRIVATE KEY", what {@link #toPem} writes) is read by the
   * JDK's key factory: every role reads its keys at start (the lab CA, the zones' DNSSEC keys),
   * and BouncyCastle's PEMParser loads its ASN.1 model for it (~100 classes, ~1 MiB of an idle
   * role's memory). Other PEM keys (OpenSSL's "BEGIN EC PRIVATE KEY") and keys of another
   * algorithm still go through PEMParser, as {@link #readPrivateKey(Path)} reads them.
   */
  public static PrivateKey readPrivateKey(Path file, String algorithm) throws IOException {
    PemObject pem = readPem(file);
    if (pem != null && pem.getType().equals("PRIVATE KEY")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pem.getContent()));
      } catch (GeneralSecurityException e) {
        // Another algorithm's key, or not a key at all: PEMParser reads it or says why not, as
        // before; the caller's own checks (a key that does not match its certificate) follow.
      }
    }
    return readPrivateKey(file);
  }

  /** The private key in {@code file}, whatever its algorithm and PEM form, through PEMParser. */
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

  private static PemObject readPem(Path file) throws IOException {
    try (PemReader reader = new PemReader(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
      return reader.readPemObject();
    }
  }

  private static String describe(Object parsed) {
    if (parsed instanceof PemObject pem) {
      return pem.getType();
    }
    return parsed == null ? "no PEM block" : parsed.getClass().getSimpleName();
  }
}
