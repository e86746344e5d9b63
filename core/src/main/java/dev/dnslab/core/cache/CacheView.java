package dev.dnslab.core.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What {@code /cache} shows: every fresh entry with its remaining TTL, as JSON objects or as
 * zone-file-like text ({@code ?format=text}).
 */
public final class CacheView {
  private CacheView() {}

  public static List<Map<String, Object>> json(RecordCache cache) {
    long now = cache.now();
    List<Map<String, Object>> entries = new ArrayList<>();
    for (CacheEntry entry : cache.snapshot()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("name", entry.owner().toString());
      json.put("type", Type.string(entry.type()));
      json.put("ttl", entry.remainingTtl(now));
      json.put("zone", entry.zone().toString());
      if (entry instanceof CacheEntry.Positive positive) {
        json.put("kind", "positive");
        json.put("rank", positive.rank().name());
        json.put("records", positive.records(now).stream().map(Record::toString).toList());
      } else if (entry instanceof CacheEntry.Negative negative) {
        json.put("kind", negative.nxdomain() ? "nxdomain" : "nodata");
        json.put("records", List.of(negative.soa(now).toString()));
      } else if (entry instanceof CacheEntry.Failure failure) {
        json.put("kind", "failure");
        json.put("reason", failure.reason());
        json.put("records", List.of());
      }
      entries.add(json);
    }
    return entries;
  }

  public static String text(RecordCache cache) {
    long now = cache.now();
    StringBuilder text = new StringBuilder();
    text.append("; ").append(cache.size()).append(" entries; TTLs are what is left\n");
    for (CacheEntry entry : cache.snapshot()) {
      if (entry instanceof CacheEntry.Positive positive) {
        text.append("; ").append(positive.rank()).append(" from zone ").append(entry.zone()).append('\n');
        positive.records(now).forEach(r -> text.append(r).append('\n'));
      } else if (entry instanceof CacheEntry.Negative negative) {
        text.append("; ").append(negative.nxdomain() ? "NXDOMAIN " : "NODATA ").append(entry.owner())
            .append(negative.nxdomain() ? "" : " " + Type.string(entry.type()))
            .append(" for ").append(entry.remainingTtl(now)).append("s, from zone ").append(entry.zone()).append('\n');
        text.append("; ").append(negative.soa(now)).append('\n');
      } else if (entry instanceof CacheEntry.Failure failure) {
        text.append("; SERVFAIL ").append(entry.owner()).append(' ').append(Type.string(entry.type()))
            .append(" for ").append(entry.remainingTtl(now)).append("s: ").append(failure.reason()).append('\n');
      }
    }
    return text.toString();
  }
}
