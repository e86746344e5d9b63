package dev.dnslab.core.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's own certificate authority. It signs the certificates of the web server's HTTPS port
 * and the recursor's DoH/DoT ports, so a client that is told to trust {@code ca.pem} (curl
 * {@code --cacert}, an NSS db, a Java trust store) sees a valid chain for www.google.com.
 *
 * <p>It is created on first start in the state folder ({@code ca.pem}, {@code ca-key.pem}) and
 * reused afterwards. Nothing here installs it anywhere: a host trusts it only when somebody adds
 * it on purpose, and its name says so.
 *
 * <pre>{@code
 * LabCertificateAuthority ca = LabCertificateAuthority.loadOrCreate(LabCertificateAuthority.defaultStateDir());
 * IssuedCertificate web = ca.issue(List.of("www.google.com"), List.of(InetAddress.getByName("127.53.0.80")));
 * SslContext tls = web.serverContext(IssuedCertificate.HTTP_ALPN);
 * }</pre>
 */
public final class LabCertificateAuthority {
  private static final Logger log = LoggerFactory.getLogger(LabCertificateAuthority.class);

  /** A name nobody can mistake for a public CA when a browser shows the chain. */
  public static final String CA_COMMON_NAME = "dnslab lab CA (not trusted unless you add it)";

  public static final String CA_FILE = "ca.pem";
  public static final String CA_KEY_FILE = "ca-key.pem";

  /** Environment variable naming the state folder; {@code ~/.dnslab} when unset. */
  public static final String STATE_DIR_ENV = "DNSLAB_STATE_DIR";

  /** Long enough that a learner's trust setting keeps working for the course of a lab. */
  private static final Duration CA_VALIDITY = Duration.ofDays(5 * 365);

  /**
   * Server certificates are issued afresh by every start (at its first TLS connection); 90 days stays under the 398-day limit
   * browsers enforce (CA/Browser Forum baseline requirements 6.3.2) with room to spare.
   */
  private static final Duration LEAF_VALIDITY = Duration.ofDays(90);

  /** Clocks of containers and hosts disagree a little; back-date so a fresh cert is valid now. */
  private static final Duration CLOCK_SKEW = Duration.ofHours(1);

  /** P-256: every TLS client supports it and key generation takes milliseconds. */
  private static final String CURVE = "secp256r1";

  private static final String SIGNATURE = "SHA256withECDSA";

  /** One JVM may start the web server and the recursor at once; a file lock alone throws then. */
  private static final Object CREATE_LOCK = new Object();

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final Path certificatePath;

  private LabCertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Path certificatePath) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.certificatePath = certificatePath;
  }

  /** {@code $DNSLAB_STATE_DIR}, or {@code ~/.dnslab} when it is unset or blank. */
  public static Path defaultStateDir() {
    String configured = System.getenv(STATE_DIR_ENV);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".dnslab");
  }

  /**
   * The CA stored in {@code stateDir}, created there first if it holds none. Concurrent callers,
   * in this JVM or another, end up with the same CA.
   *
   * @throws UncheckedIOException when the folder cannot be written or holds a broken CA
   */
  public static LabCertificateAuthority loadOrCreate(Path stateDir) {
    requireNonNull(stateDir, "stateDir");
    Path certFile = stateDir.resolve(CA_FILE);
    Path keyFile = stateDir.resolve(CA_KEY_FILE);
    synchronized (CREATE_LOCK) {
      try {
        Files.createDirectories(stateDir);
        try (FileChannel lockFile =
                FileChannel.open(stateDir.resolve(".ca.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = lockFile.lock()) {
          if (Files.exists(certFile) || Files.exists(keyFile)) {
            return load(certFile, keyFile);
          }
          return create(certFile, keyFile);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("lab CA in " + stateDir + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * The CA in {@code stateDir}, for a role that needs it only at its first TLS connection (the
   * recursor's DoT and DoH certificate, the web server's HTTPS ones and its CA download): made at
   * once when the folder holds neither file, so {@code ca.pem} is there when the role says it is
   * ready; read at the first {@code get()} when it holds both. Reading it is the JDK's X.509
   * parser, every security provider it looks through for the key's algorithm and an ECDSA
   * signature made and checked: 135 classes in the pages of an idle recursor's class-data archive,
   * and garbage at start, which a role that no TLS client reaches never uses again (idle 70.4 ->
   * 68.1 MiB, bench/recursor/idle.sh; the web server reached only over plain HTTP 61.0 -> 59.1,
   * bench/web/idle.sh; 2026-12-07). What
   * start still refuses, naming the file: half a CA, and a file that is not a PEM block of a
   * certificate or of a private key (a truncated copy, the wrong file), checked without parsing
   * it. A certificate the JDK cannot read, or a key that is not its certificate's, closes each TLS
   * connection before its handshake instead (the reason in the role's log).
   *
   * @throws UncheckedIOException at once when the folder holds only one of the two files, either
   *     is not such a PEM block, or the folder cannot be written for a new CA
   */
  public static BuiltOnFirstUse<LabCertificateAuthority> loadOnFirstUse(Path stateDir) {
    requireNonNull(stateDir, "stateDir");
    Path certFile = stateDir.resolve(CA_FILE);
    Path keyFile = stateDir.resolve(CA_KEY_FILE);
    if (Files.exists(certFile) && Files.exists(keyFile)) {
      try {
        PemFiles.checkPemBlock(certFile, List.of("CERTIFICATE"));
        PemFiles.checkPemBlock(keyFile, List.of("PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"));
      } catch (IOException e) {
        throw new UncheckedIOException("lab CA in " + stateDir + ": " + e.getMessage(), e);
      }
      return new BuiltOnFirstUse<>(() -> loadOrCreate(stateDir));
    }
    LabCertificateAuthority made = loadOrCreate(stateDir);
    return new BuiltOnFirstUse<>(() -> made);
  }

  private static LabCertificateAuthority load(Path certFile, Path keyFile) throws IOException {
    if (!Files.exists(certFile) || !Files.exists(keyFile)) {
      throw new IOException(
          "found only one of " + CA_FILE + " and " + CA_KEY_FILE + "; delete it to create a new lab CA");
    }
    X509Certificate certificate = PemFiles.readCertificate(certFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile, certificate.getPublicKey().getAlgorithm());
    if (!signsFor(key, certificate)) {
      throw new IOException(keyFile + " is not the key of " + certFile + "; delete both to create a new lab CA");
    }
    log.info("lab CA loaded from {} ({})", certFile, certificate.getSubjectX500Principal().getName());
    return new LabCertificateAuthority(certificate, key, certFile);
  }

  private static LabCertificateAuthority create(Path certFile, Path keyFile) throws IOException {
    KeyPair keys = newKeyPair();
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "dnslab")
            .addRDN(BCStyle.CN, CA_COMMON_NAME)
            .build();
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name, serialNumber(), CertificateTime.of(now.minus(CLOCK_SKEW)), CertificateTime.of(now.plus(CA_VALIDITY)),
                  name, keys.getPublic())
              // RFC 5280 4.2.1.9: a CA that may sign server certificates but no further CAs.
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate certificate = sign(builder, keys.getPrivate());
      // The key first: a ca.pem without its key would make the next start refuse to run.
      PemFiles.writeAtomically(keyFile, PemFiles.toPem(keys.getPrivate()), true);
      PemFiles.writeAtomically(certFile, PemFiles.toPem(certificate), false);
      log.info("lab CA created in {}; trust it only where you want lab certificates accepted", certFile);
      return new LabCertificateAuthority(certificate, keys.getPrivate(), certFile);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create the lab CA: " + e.getMessage(), e);
    }
  }

  /** The CA certificate; export it with {@link #certificatePem()} or {@link #certificatePath()}. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA certificate as PEM, for {@code curl --cacert}, {@code certutil -A} or a download link. */
  public String certificatePem() {
    return PemFiles.toPem(certificate);
  }

  /**
   * A client TLS context whose only trust anchor is this CA, as a learner's kdig ({@code
   * +tls-ca}) or curl ({@code --cacert}) is told: it accepts the lab's servers and nothing else.
   */
  public SSLContext clientTlsContext() {
    // Before the first TLS context of the JVM, client or server: see ServerNameIndication.
    ServerNameIndication.ignoredByJdkServers();
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("dnslab-ca", certificate);
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS client context trusting the lab CA: " + e.getMessage(), e);
    }
  }

  /** Where {@code ca.pem} lives. */
  public Path certificatePath() {
    return certificatePath;
  }

  /**
   * A new server certificate for {@code dnsNames} and {@code ipAddresses} (both go into the
   * subjectAltName: RFC 6125 6.4.4, clients no longer look at the CN), signed by this CA.
   */
  public IssuedCertificate issue(List<String> dnsNames, List<InetAddress> ipAddresses) {
    checkIssuable(dnsNames, ipAddresses);
    List<GeneralName> names = new ArrayList<>();
    for (String dnsName : dnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, checkedDnsName(dnsName)));
    }
    for (InetAddress address : ipAddresses) {
      names.add(new GeneralName(GeneralName.iPAddress, address.getHostAddress()));
    }
    String commonName = dnsNames.isEmpty() ? ipAddresses.get(0).getHostAddress() : checkedDnsName(dnsNames.get(0));
    KeyPair keys = newKeyPair();
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                  serialNumber(),
                  CertificateTime.of(now.minus(CLOCK_SKEW)),
                  CertificateTime.of(now.plus(LEAF_VALIDITY)),
                  new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "dnslab").addRDN(BCStyle.CN, commonName).build(),
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
              .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
              .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
      return new IssuedCertificate(keys.getPrivate(), List.of(sign(builder, privateKey), certificate));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + names + ": " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #issue}, but issued when first asked for, e.g. by a server's first TLS connection
   * (then built into its context by {@link BuiltOnFirstUse} too). The names are checked now, so a
   * name no certificate can carry still stops the caller at start, with {@link #issue}'s message.
   *
   * <p>Why: issuing is BouncyCastle's certificate builder, its ASN.1 model and more of the JDK's
   * X.509 classes, in metaspace or in the pages of a class-data archive trained on a start, that a
   * role no TLS client has reached never uses: an idle web server loaded 3,405 classes, 207 of them
   * BouncyCastle's, and 3,190 (12) once its certificates waited (2026-12-06). The certificate is valid from an
   * hour before it is issued (clock skew) for 90 days, as at start; its first
   * connection waits for it once.
   */
  public BuiltOnFirstUse<IssuedCertificate> issueOnFirstUse(List<String> dnsNames, List<InetAddress> ipAddresses) {
    return issueOnFirstUse(() -> this, dnsNames, ipAddresses);
  }

  /**
   * {@link #issueOnFirstUse(List, List)} from a CA that is itself read at first use ({@link
   * #loadOnFirstUse}): the names checked now, the CA asked for at the certificate's first use.
   */
  public static BuiltOnFirstUse<IssuedCertificate> issueOnFirstUse(
      Supplier<LabCertificateAuthority> ca, List<String> dnsNames, List<InetAddress> ipAddresses) {
    checkIssuable(dnsNames, ipAddresses);
    return new BuiltOnFirstUse<>(new Issue(ca, List.copyOf(dnsNames), List.copyOf(ipAddresses)));
  }

  /**
   * The certificate issued when first asked for. A class, not a lambda: a lambda's method returns
   * IssuedCertificate, so linking it at start loaded that class, and an archive trained on a start
   * (docker/train-cds.sh) then held it and what its verification loads (Netty's TLS context
   * builder), in the pages of every start that maps the archive.
   */
  private static final class Issue implements Supplier<IssuedCertificate> {
    private final Supplier<LabCertificateAuthority> ca;
    private final List<String> names;
    private final List<InetAddress> addresses;

    Issue(Supplier<LabCertificateAuthority> ca, List<String> names, List<InetAddress> addresses) {
      this.ca = ca;
      this.names = names;
      this.addresses = addresses;
    }

    @Override
    public IssuedCertificate get() {
      return ca.get().issue(names, addresses);
    }
  }

  /**
   * Throws what {@link #issue} would throw for these names, without issuing and without
   * BouncyCastle: for a caller that issues at its first TLS connection (as {@link
   * #issueOnFirstUse} does) but must refuse a name no certificate can carry at start.
   *
   * @throws IllegalArgumentException with {@link #issue}'s message
   */
  public static void checkIssuable(List<String> dnsNames, List<InetAddress> ipAddresses) {
    requireNonNull(dnsNames, "dnsNames");
    requireNonNull(ipAddresses, "ipAddresses");
    if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
      throw new IllegalArgumentException("dnsNames and ipAddresses: both empty (expected: at least one name)");
    }
    for (String dnsName : dnsNames) {
      checkedDnsName(dnsName);
    }
    for (InetAddress address : ipAddresses) {
      requireNonNull(address, "ipAddresses[]");
    }
  }

  private static String checkedDnsName(String dnsName) {
    requireNonNull(dnsName, "dnsNames[]");
    String name = dnsName.endsWith(".") ? dnsName.substring(0, dnsName.length() - 1) : dnsName;
    if (name.isEmpty() || !name.matches("[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
      throw new IllegalArgumentException("dnsName: " + dnsName + " (expected: a host name such as www.google.com)");
    }
    return name;
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(CURVE), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make " + CURVE + " keys", e);
    }
  }

  /** RFC 5280 4.1.2.2: positive, unique per CA, at most 20 octets; 159 random bits are all three. */
  private static BigInteger serialNumber() {
    return new BigInteger(159, RANDOM).add(BigInteger.ONE);
  }

  private static boolean signsFor(PrivateKey key, X509Certificate certificate) {
    try {
      byte[] probe = "dnslab".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(SIGNATURE);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(SIGNATURE);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "LabCertificateAuthority[" + certificatePath + "]";
  }
}
