package dev.dnslab.core.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/** Records grouped into the RRsets a cache stores (RFC 2181 5: same owner, class and type). */
public final class RRsets {
  private RRsets() {}

  /** The owner and type of an RRset; {@link Name} compares case-insensitively (RFC 4343). */
  private record Key(Name owner, int dclass, int type) {}

  /**
   * One RRset per owner, class and type, in order of first appearance. {@code WWW.example.} and
   * {@code www.example.} are the same owner (RFC 4343 3), so their records share one RRset.
   */
  public static List<RRset> group(List<Record> records) {
    Map<Key, RRset> sets = new LinkedHashMap<>();
    for (Record record : records) {
      sets.computeIfAbsent(new Key(record.getName(), record.getDClass(), record.getType()), k -> new RRset())
          .addRR(record);
    }
    return new ArrayList<>(sets.values());
  }
}
