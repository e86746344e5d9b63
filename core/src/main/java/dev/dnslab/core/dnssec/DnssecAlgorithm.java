package dev.dnslab.core.dnssec;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.xbill.DNS.DNSSEC.Algorithm;

/**
 * The DNSSEC signing algorithms the lab signs with: the three that RFC 8624 3.1 says a signer
 * should (or must) use today, so every validator in the resolver matrix supports all of them. Keys
 * come from the JDK's {@link KeyPairGenerator}; dnsjava turns them into DNSKEY records.
 */
public enum DnssecAlgorithm {
  /** RFC 5702; what the real root signs with. 2048-bit modulus (RFC 8624 3.1, RFC 6781 3.4.2). */
  RSASHA256(Algorithm.RSASHA256, "RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4)),
  /** RFC 6605; most signed TLDs today, and the lab's default. */
  ECDSAP256SHA256(Algorithm.ECDSAP256SHA256, "EC", new ECGenParameterSpec("secp256r1")),
  /** RFC 8080. */
  ED25519(Algorithm.ED25519, "Ed25519", null);

  private final int number;
  private final String jcaName;
  private final AlgorithmParameterSpec parameters;

  DnssecAlgorithm(int number, String jcaName, AlgorithmParameterSpec parameters) {
    this.number = number;
    this.jcaName = jcaName;
    this.parameters = parameters;
  }

  /** The algorithm number of RFC 4034 A.1, as it appears in DNSKEY, RRSIG and DS records. */
  public int number() {
    return number;
  }

  /** The JDK's name for this algorithm's keys ({@code RSA}, {@code EC}, {@code Ed25519}). */
  public String jcaName() {
    return jcaName;
  }

  /** A fresh key pair from the JDK. */
  public KeyPair generateKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
      if (parameters != null) {
        generator.initialize(parameters);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make " + name() + " keys: " + e.getMessage(), e);
    }
  }

  /** The algorithm with this RFC 4034 A.1 number, if the lab signs with it. */
  public static Optional<DnssecAlgorithm> ofNumber(int number) {
    return Arrays.stream(values()).filter(a -> a.number == number).findFirst();
  }

  /** Reads a mnemonic ({@code ECDSAP256SHA256}, case-insensitive) or a number ({@code 13}). */
  public static Optional<DnssecAlgorithm> parse(String text) {
    String trimmed = text.trim();
    if (trimmed.matches("\\d{1,3}")) {
      return ofNumber(Integer.parseInt(trimmed));
    }
    try {
      return Optional.of(valueOf(trimmed.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** For error messages: {@code RSASHA256 (8), ECDSAP256SHA256 (13), ED25519 (15)}. */
  public static String choices() {
    return Arrays.stream(values()).map(DnssecAlgorithm::toString).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return name() + " (" + number + ")";
  }
}
