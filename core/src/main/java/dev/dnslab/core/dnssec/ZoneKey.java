package dev.dnslab.core.dnssec;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;

/**
 * One signing key of a zone: its public half as the DNSKEY record the zone publishes, and its
 * private half.
 */
public record ZoneKey(KeyRole role, DNSKEYRecord dnskey, PrivateKey privateKey) {
  public ZoneKey {
    requireNonNull(role, "role");
    requireNonNull(dnskey, "dnskey");
    requireNonNull(privateKey, "privateKey");
  }

  /** RFC 4034 B: the key tag that RRSIG and DS records use to name this key. */
  public int tag() {
    return dnskey.getFootprint();
  }

  /**
   * The DS record a parent publishes for this key: SHA-256 (RFC 4509), the digest every validator
   * must support (RFC 8624 3.3).
   */
  public DSRecord ds(long ttl) {
    return new DSRecord(dnskey.getName(), dnskey.getDClass(), ttl, DNSSEC.Digest.SHA256, dnskey);
  }

  @Override
  public String toString() {
    return role + " " + dnskey.getName() + " alg " + dnskey.getAlgorithm() + " tag " + tag();
  }
}
