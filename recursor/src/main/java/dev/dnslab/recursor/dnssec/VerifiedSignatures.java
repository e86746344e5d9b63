package dev.dnslab.recursor.dnssec;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * The signatures the validator has already verified, so that the public-key arithmetic of one
 * RRSIG over the same data with the same DNSKEY runs once, not once per answer: every name under
 * a wildcard is answered with the wildcard's RRset and RRSIG (RFC 4035 5.3.4: the signed data is
 * the wildcard's own), and the NSEC/NSEC3 record that proves its expansion is the same for a whole
 * span of names. Unbound gets the same effect from its RRset cache, which keeps each RRset's
 * security status.
 *
 * <p>An entry is keyed by everything {@link DNSSEC#verify(RRset, RRSIGRecord, DNSKEYRecord,
 * Instant)} reads except the time: the key's owner and RDATA (flags, protocol, algorithm, public
 * key), the signed data as RFC 4034 3.1.8.1 builds it (the RRSIG RDATA without its signature, then
 * the RRset in canonical form with the original TTL and the owner the labels field gives) and the
 * signature itself. Equal keys mean that verify would compute the same thing; only the validity
 * window depends on the clock, and it is checked again on every hit, with verify itself
 * producing the expired or not-yet-valid failure. Failures are never kept: a bad signature costs
 * its verification each time, within the {@link WorkBudget}. ECDSA and EdDSA signatures are checked
 * by {@link BouncyCastleVerifier} first, many times faster than the JDK's, and RSA ones by {@link
 * JdkRsaVerifier} over the signed data built here once; anything they do not accept goes to {@code
 * DNSSEC.verify}, so every failure reads as before.
 *
 * <p>Thread-safe: a concurrent map bounded to {@link #CAPACITY} entries; when full, expired entries
 * go first, then any, down to a tenth below the bound so that one sweep serves many new entries (a
 * forgotten entry only costs one verification again).
 */
final class VerifiedSignatures {
  /**
   * Entries kept: each holds its signed data (a few hundred bytes), so about 2 MiB at most, and
   * far more than the distinct RRSIGs a lab's answers carry at one time.
   */
  static final int CAPACITY = 4096;

  private final int capacity;
  /** Signed data, signature and key, to the signature's expiration. */
  private final Map<ByteBuffer, Instant> verified = new ConcurrentHashMap<>();

  VerifiedSignatures() {
    this(CAPACITY);
  }

  VerifiedSignatures(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    this.capacity = capacity;
  }

  /**
   * {@link DNSSEC#verify(RRset, RRSIGRecord, DNSKEYRecord, Instant)}, skipped when the very same
   * signature over the same data with the same key verified before and {@code now} lies in its
   * validity window (RFC 4034 3.1.5).
   *
   * @throws DNSSEC.DNSSECException as verify throws it
   */
  void verify(RRset set, RRSIGRecord signature, DNSKEYRecord key, Instant now) throws DNSSEC.DNSSECException {
    byte[] signedData = DNSSEC.digestRRset(signature, set);
    ByteBuffer entry = entry(signedData, signature, key);
    if (verified.containsKey(entry) && !now.isAfter(signature.getExpire()) && !now.isBefore(signature.getTimeSigned())) {
      return;
    }
    if (!BouncyCastleVerifier.verifies(signedData, signature, key, now)
        && !JdkRsaVerifier.verifies(signedData, signature, key, now)) {
      DNSSEC.verify(set, signature, key, now);
    }
    makeRoom(now);
    verified.put(entry, signature.getExpire());
  }

  /** Forgets every verified signature (with the validated keys, on an operator's flush). */
  void clear() {
    verified.clear();
    BouncyCastleVerifier.forgetKeys();
  }

  int size() {
    return verified.size();
  }

  private static ByteBuffer entry(byte[] signedData, RRSIGRecord signature, DNSKEYRecord key) {
    DNSOutput out = new DNSOutput();
    key.getName().toWireCanonical(out);
    byte[] rdata = key.rdataToWireCanonical();
    out.writeU16(rdata.length);
    out.writeByteArray(rdata);
    out.writeU32(signedData.length);
    out.writeByteArray(signedData);
    out.writeByteArray(signature.getSignature());
    return ByteBuffer.wrap(out.toByteArray());
  }

  private void makeRoom(Instant now) {
    if (verified.size() < capacity) {
      return;
    }
    verified.values().removeIf(expires -> now.isAfter(expires));
    int keep = capacity - capacity / 10 - 1;
    for (Iterator<ByteBuffer> entries = verified.keySet().iterator(); verified.size() > keep && entries.hasNext(); ) {
      entries.next();
      entries.remove();
    }
  }
}
