package dev.dnslab.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * File bodies kept in memory, keyed by path and checked against the size and modification time
 * the resolver has just read, so an edited file is served fresh on the next request. Sites are
 * small; the cap only protects against someone dropping a video into sites/.
 */
final class FileContentCache {
  /** Files above this size are read on every request and never kept. */
  static final long MAX_CACHED_FILE_BYTES = 1024 * 1024;

  /** All cached bodies together stay below this. */
  static final long MAX_TOTAL_BYTES = 32L * 1024 * 1024;

  private record Entry(long size, long lastModifiedMillis, byte[] content) {}

  private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong totalBytes = new AtomicLong();

  byte[] read(SiteFile file) throws IOException {
    Entry entry = entries.get(file.file());
    if (entry != null && entry.size() == file.size() && entry.lastModifiedMillis() == file.lastModifiedMillis()) {
      return entry.content();
    }
    byte[] content = Files.readAllBytes(file.file());
    if (content.length <= MAX_CACHED_FILE_BYTES && content.length == file.size()) {
      Entry previous = entries.put(file.file(), new Entry(file.size(), file.lastModifiedMillis(), content));
      long total = totalBytes.addAndGet(content.length - (previous == null ? 0 : previous.content().length));
      if (total > MAX_TOTAL_BYTES) {
        entries.clear();
        totalBytes.set(0);
      }
    }
    return content;
  }
}
