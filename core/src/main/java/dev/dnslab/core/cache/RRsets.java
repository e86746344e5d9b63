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

  /**
   * The owner and type of an RRset; {@link Name} compares case-insensitively (RFC 4343). Its equals
   * and hashCode are written out: a record's generated ones link through ObjectMethods' method
   * handles at first use, ~20 classes of lambda forms that no class-data archive holds.
   */
  private record Key(Name owner, int dclass, int type) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && owner.equals(k.owner) && dclass == k.dclass && type == k.type;
    }

    @Override
    public int hashCode() {
      return (owner.hashCode() * 31 + dclass) * 31 + type;
    }
  }

  /**
   * One RRset per owner, class and type, in order of first appearance. {@code WWW.example.} and
   * {@code www.example.} are the same owner (RFC 4343 3), so their records share one RRset. An
   * RRSIG joins the RRset of the type it covers (RFC 4034 3: {@link RRset#sigs()}), so signatures
   * are stored and expire with the data they sign; an RRSIG whose RRset is not among the records
   * stays alone, as an RRset of signatures only. The list cannot be modified.
   *
   * <p>No records or one (an unsigned answer of one address, what most cache misses store and
   * validate) are grouped without the map, which was ~250 bytes a call.
   */
  public static List<RRset> group(List<Record> records) {
    if (records.isEmpty()) {
      return List.of();
    }
    if (records.size() == 1) {
      return List.of(new RRset(records.get(0)));
    }
    Map<Key, RRset> sets = new LinkedHashMap<>();
    for (Record record : records) {
      sets.computeIfAbsent(new Key(record.getName(), record.getDClass(), record.getRRsetType()), k -> new RRset())
          .addRR(record);
    }
    return List.copyOf(sets.values());
  }

  /** The records of {@code sets} as a section lists them: each RRset's data, then its RRSIGs. */
  public static List<Record> records(List<RRset> sets) {
    List<Record> records = new ArrayList<>();
    for (RRset set : sets) {
      records.addAll(set.rrs(false));
      records.addAll(set.sigs());
    }
    return records;
  }
}
