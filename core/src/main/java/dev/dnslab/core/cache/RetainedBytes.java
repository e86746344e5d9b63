package dev.dnslab.core.cache;

import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * A cheap estimate of the heap a cache entry keeps alive, for the cache's memory bound: a fixed
 * cost per entry and per record, plus each record's wire length three times over (dnsjava holds the
 * owner name and the RDATA in arrays and objects somewhat larger than their wire form, and an entry
 * served in a later second than it came in also holds its records re-made with the counted-down
 * TTL, which share the owner name but not the RDATA). Computed once when the entry is made, never
 * on the cache-hit path.
 *
 * <p>An upper bound, not a mean: measured (JDK 17, heap in use after full GCs before and after,
 * 50,000 entries of names like the bench's {@code dnslab-1-N.miss.example.org}, each an RRset parsed
 * from the wire form of an upstream reply, as the recursor gets it), an A record held 193 bytes
 * stored and served in the same second and 289 served a second later, an A record with its ECDSA
 * P-256 RRSIG 463 and 855; this estimate gives them 444 and 1,000. While an entry held dnsjava's
 * RRset (two ArrayLists and their arrays) and a served copy from its first second on, the same
 * entries held 321/361 and 615/927. The constants were calibrated then and are kept, so a bound
 * holds as many names as it did, in less heap: the recursor's heap per name is higher than the cache's share (its verdicts,
 * its rendered answers), and the bound is on the share that grows with the names asked.
 * PositiveEntryTest checks the estimate stays above what the entries hold.
 */
final class RetainedBytes {
  /** Per entry: the map's node and key, the entry object, its record lists and those served in a later second. */
  static final int ENTRY = 176;

  /** Per record, on top of three times its wire length: the record object and its served copy. */
  static final int RECORD = 128;

  /** Bytes of heap per byte of a record's wire form (see the calibration above). */
  private static final int PER_WIRE_BYTE = 3;

  private RetainedBytes() {}

  /**
   * The estimate for an entry holding {@code records}, {@code signatures} and {@code proofs}. Three
   * lists, not a variable number: the array varargs made was one more object per RRset stored.
   */
  static long of(List<? extends Record> records, List<? extends Record> signatures, List<? extends Record> proofs) {
    return ENTRY + of(records) + of(signatures) + of(proofs);
  }

  private static long of(List<? extends Record> records) {
    long bytes = 0;
    // By index: the lists' iterators (an unmodifiable view's and the list's own beneath it) were
    // not optimised away, two objects per list for every RRset a miss stores (async-profiler,
    // event=alloc). The lists are an RRset's and List.copyOf's, both random access.
    for (int i = 0, n = records.size(); i < n; i++) {
      bytes += RECORD + (long) PER_WIRE_BYTE * wireLength(records.get(i));
    }
    return bytes;
  }

  /** The record's uncompressed wire length: owner, type, class, TTL, RDLENGTH and RDATA (RFC 1035 4.1.3). */
  static int wireLength(Record record) {
    return record.getName().length() + 10 + rdataLength(record);
  }

  /**
   * The RDATA's length in canonical form (RFC 4034 6.2: names uncompressed). What a walk or a miss
   * stores, an address, a name server's or alias's name, a signature, a delegation signer, a zone
   * key, a negative answer's SOA and its NSEC or NSEC3 proofs, is counted from its fields without
   * rendering it: rendering made an output buffer and a copy of it per record stored (~93 bytes per
   * answer, async-profiler event=alloc, and more for a signature's 64 to 256 bytes). dnsjava's
   * getters of a signature, digest, key, salt and hash return the record's own arrays; its type
   * lists are a fresh int array. Anything else (TXT, MX, ...) is rendered.
   */
  private static int rdataLength(Record record) {
    if (record instanceof ARecord) {
      return 4; // RFC 1035 3.4.1
    }
    if (record instanceof AAAARecord) {
      return 16; // RFC 3596 2.2
    }
    if (record instanceof NSRecord ns) {
      return ns.getTarget().length();
    }
    if (record instanceof CNAMERecord cname) {
      return cname.getTarget().length();
    }
    if (record instanceof RRSIGRecord rrsig) {
      // RFC 4034 3.1: type covered 2, algorithm 1, labels 1, original TTL 4, expiration 4,
      // inception 4, key tag 2, then the signer's name and the signature.
      return 18 + rrsig.getSigner().length() + rrsig.getSignature().length;
    }
    if (record instanceof DSRecord ds) {
      return 4 + ds.getDigest().length; // RFC 4034 5.1: key tag 2, algorithm 1, digest type 1
    }
    if (record instanceof DNSKEYRecord dnskey) {
      return 4 + dnskey.getKey().length; // RFC 4034 2.1: flags 2, protocol 1, algorithm 1
    }
    if (record instanceof SOARecord soa) {
      // RFC 1035 3.3.13: MNAME, RNAME, then SERIAL, REFRESH, RETRY, EXPIRE, MINIMUM, 4 each.
      return soa.getHost().length() + soa.getAdmin().length() + 20;
    }
    if (record instanceof NSECRecord nsec) {
      return nsec.getNext().length() + typeBitMapsLength(nsec.getTypes()); // RFC 4034 4.1
    }
    if (record instanceof NSEC3Record nsec3) {
      // RFC 5155 3.2: hash algorithm 1, flags 1, iterations 2, salt length 1 and the salt, hash
      // length 1 and the next hashed owner name, then the type bit maps. dnsjava keeps no salt ("-")
      // as null.
      byte[] salt = nsec3.getSalt();
      return 6 + (salt == null ? 0 : salt.length) + nsec3.getNext().length
          + typeBitMapsLength(nsec3.getTypes());
    }
    return record.rdataToWireCanonical().length;
  }

  /**
   * The length of the Type Bit Maps field (RFC 4034 4.1.2) for {@code types} in ascending order, as
   * dnsjava gives them: one block per window (a type's high octet) that holds a type, each a window
   * number, a bitmap length and as many octets as the window's highest low octet needs.
   */
  private static int typeBitMapsLength(int[] types) {
    int length = 0;
    for (int i = 0; i < types.length; i++) {
      boolean lastOfItsWindow = i + 1 == types.length || types[i + 1] >> 8 != types[i] >> 8;
      if (lastOfItsWindow) {
        length += 2 + (types[i] & 0xFF) / 8 + 1;
      }
    }
    return length;
  }
}
