package dev.dnslab.core.cache;

import java.util.List;
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

  /** The records with another TTL; the same (immutable) list when there are none. */
  static List<Record> withTtl(List<? extends Record> records, long ttl) {
    if (records.isEmpty()) {
      return List.of();
    }
    Record[] copies = new Record[records.size()];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = withTtl(records.get(i), ttl);
    }
    return List.of(copies);
  }
}
