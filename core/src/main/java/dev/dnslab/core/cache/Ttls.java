package dev.dnslab.core.cache;

import org.xbill.DNS.Record;

/** Copies of records with another TTL (dnsjava records are immutable and keep theirs private). */
final class Ttls {
  private Ttls() {}

  static Record withTtl(Record record, long ttl) {
    if (record.getTTL() == ttl) {
      return record;
    }
    return Record.newRecord(record.getName(), record.getType(), record.getDClass(), ttl,
        record.rdataToWireCanonical());
  }
}
