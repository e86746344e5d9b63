package dev.dnslab.recursor.iterator;

import dev.dnslab.core.cache.CacheEntry;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;

/**
 * The addresses of a cached A or AAAA RRset, made once per cache entry for the delegation points
 * built from it: every resolution below a zone cut reads the same name servers' addresses, and
 * dnsjava's {@code getAddress} makes a host-name string and an address object per record each time
 * (~860 of the ~21,700 bytes a cache miss allocated under bench/recursor/run.sh miss-unsigned). A
 * few slots by the entry's identity, the last entry seen in each: an entry is never changed, only
 * replaced, so a replaced one misses its slot and its records are read again; nothing is kept but
 * the slots.
 */
final class ServerAddresses {
  private static final int SLOTS = 16;

  private record Made(CacheEntry.Positive entry, List<InetAddress> addresses) {}

  private final AtomicReferenceArray<Made> slots = new AtomicReferenceArray<>(SLOTS);

  /** The addresses of {@code entry}'s A or AAAA records, in the RRset's order. */
  List<InetAddress> of(CacheEntry.Positive entry) {
    int slot = System.identityHashCode(entry) & (SLOTS - 1);
    Made made = slots.get(slot);
    if (made == null || made.entry() != entry) {
      made = new Made(entry, addressesIn(entry.records()));
      slots.set(slot, made);
    }
    return made.addresses();
  }

  private static List<InetAddress> addressesIn(List<Record> records) {
    List<InetAddress> addresses = new ArrayList<>(records.size());
    for (Record record : records) {
      if (record instanceof ARecord a) {
        addresses.add(a.getAddress());
      } else if (record instanceof AAAARecord aaaa) {
        addresses.add(aaaa.getAddress());
      }
    }
    return List.copyOf(addresses);
  }
}
