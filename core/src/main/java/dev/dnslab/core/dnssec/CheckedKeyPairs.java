package dev.dnslab.core.dnssec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;

/**
 * The key pairs this JVM has already seen make a signature that verifies, or made itself, so that
 * {@link KeyDirectory} checks each pair once per JVM rather than at every read. A lab start reads a
 * zone's keys several times (to sign the zone, for the DS its parent publishes, for the trust
 * anchor), and each check signs and verifies: ~200 ms of CPU on the main thread of a fresh {@code
 * ./dnslab up}, most of it BouncyCastle's curve code still interpreted (async-profiler, 2026-12-05).
 * A pair the JVM has just made is remembered as it is made ({@link #remember}): a first {@code up}
 * with an empty state folder makes every key and reads each one back, and checking those cost its
 * main thread 66 ms of CPU (5 ms after; async-profiler, 2026-12-06).
 *
 * <p>Whether a pair verifies depends on nothing but the two keys, so a pair is known by a SHA-256
 * digest of the DNSKEY record (canonical wire form) and the private key's encoding: a key file
 * changed on disk is different bytes and is checked again. Only the digest is kept, never key
 * material. Bounded: at {@link #MAX_PAIRS} the set starts over (a lab holds a few dozen keys).
 */
final class CheckedKeyPairs {
  static final int MAX_PAIRS = 1024;

  private final Set<ByteBuffer> verified = ConcurrentHashMap.newKeySet();

  /** Makes and checks a signature with a key pair; throws when the pair does not verify. */
  @FunctionalInterface
  interface PairCheck {
    void check(DNSKEYRecord dnskey, PrivateKey privateKey) throws DNSSEC.DNSSECException;
  }

  /**
   * Runs {@code check} on the pair unless this very pair (the same bytes) passed it before, and
   * remembers the pair when it passes. The pair is digested once for both the look-up and the
   * remembering. Two threads reading one new pair at once may both check it: the same outcome, once
   * more.
   *
   * @throws DNSSEC.DNSSECException what {@code check} threw: the pair is not remembered
   */
  void checkOnce(DNSKEYRecord dnskey, PrivateKey privateKey, PairCheck check) throws DNSSEC.DNSSECException {
    ByteBuffer pair = digest(dnskey, privateKey);
    if (verified.contains(pair)) {
      return;
    }
    check.check(dnskey, privateKey);
    add(pair);
  }

  /**
   * Remembers a pair without checking it: one the JDK just made as a pair, whose halves belong
   * together by construction. Read back from its files later, the same bytes are not checked.
   */
  void remember(DNSKEYRecord dnskey, PrivateKey privateKey) {
    add(digest(dnskey, privateKey));
  }

  /** Whether this very pair (the same bytes) passed a check or was remembered. */
  boolean knows(DNSKEYRecord dnskey, PrivateKey privateKey) {
    return verified.contains(digest(dnskey, privateKey));
  }

  private void add(ByteBuffer pair) {
    if (verified.size() >= MAX_PAIRS) {
      verified.clear();
    }
    verified.add(pair);
  }

  private static ByteBuffer digest(DNSKEYRecord dnskey, PrivateKey privateKey) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(dnskey.toWireCanonical());
      sha256.update(privateKey.getAlgorithm().getBytes(StandardCharsets.US_ASCII));
      byte[] encoded = privateKey.getEncoded();
      if (encoded != null) {
        sha256.update(encoded);
      }
      return ByteBuffer.wrap(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
