package dev.dnslab.core.dnssec;

import org.xbill.DNS.DNSKEYRecord;

/** What one DNSKEY of a zone is for (RFC 6781 3.1), and its DNSKEY flags (RFC 4034 2.1.1). */
public enum KeyRole {
  /** Key-signing key: signs the DNSKEY RRset; the parent's DS points at it. */
  KSK("ksk", DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY),
  /** Zone-signing key: signs every other RRset. */
  ZSK("zsk", DNSKEYRecord.Flags.ZONE_KEY),
  /** Combined signing key: both jobs, one key. */
  CSK("csk", DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY);

  private final String fileStem;
  private final int flags;

  KeyRole(String fileStem, int flags) {
    this.fileStem = fileStem;
    this.flags = flags;
  }

  /** Key files are {@code <stem>.key} (the DNSKEY) and {@code <stem>.private.pem}. */
  public String fileStem() {
    return fileStem;
  }

  /** 257 (zone key + SEP) for KSK and CSK, 256 for ZSK. */
  public int flags() {
    return flags;
  }

  /** Whether this key signs the apex DNSKEY RRset and is named by the parent's DS. */
  public boolean signsKeys() {
    return this != ZSK;
  }

  /** Whether this key signs the zone's other RRsets. */
  public boolean signsZone() {
    return this != KSK;
  }
}
