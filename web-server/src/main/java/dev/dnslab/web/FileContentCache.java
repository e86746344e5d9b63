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

  /**
   * A file's body with its header values, computed once per version of the file rather than once
   * per response.
   */
  record Entry(long size, long lastModifiedMillis, byte[] content, Validators validators) {
    boolean isCurrent(SiteFile file) {
      return size == file.size() && lastModifiedMillis == file.lastModifiedMillis();
    }
  }

  /** The validators of one version of a file (RFC 9110 8.8) and its media type. */
  record Validators(String etag, String lastModified, String contentType) {
    static Validators of(SiteFile file) {
      // Weak: the same file is also sent gzip-encoded, and a strong tag would have to differ then
      // (RFC 9110 8.8.3). If-None-Match uses the weak comparison anyway (RFC 9110 13.1.2).
      return new Validators(
          "W/\"" + Long.toHexString(file.size()) + "-" + Long.toHexString(file.lastModifiedMillis()) + "\"",
          ImfFixdate.ofMillis(file.lastModifiedMillis()),
          MimeTypes.forFileName(file.file().getFileName().toString()));
    }
  }

  private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong totalBytes = new AtomicLong();

  /** The cached entry for this version of the file, or null. */
  Entry current(SiteFile file) {
    Entry entry = entries.get(file.file());
    return entry != null && entry.isCurrent(file) ? entry : null;
  }

  byte[] read(SiteFile file) throws IOException {
    Entry entry = current(file);
    if (entry != null) {
      return entry.content();
    }
    byte[] content = Files.readAllBytes(file.file());
    if (content.length <= MAX_CACHED_FILE_BYTES && content.length == file.size()) {
      Entry previous =
          entries.put(file.file(), new Entry(file.size(), file.lastModifiedMillis(), content, Validators.of(file)));
      long total = totalBytes.addAndGet(content.length - (previous == null ? 0 : previous.content().length));
      if (total > MAX_TOTAL_BYTES) {
        entries.clear();
        totalBytes.set(0);
      }
    }
    return content;
  }
}
