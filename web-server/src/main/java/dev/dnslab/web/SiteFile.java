package dev.dnslab.web;

import java.nio.file.Path;

/**
 * What a request path names inside a site: a file to send, a folder that needs its trailing slash,
 * nothing, or a path that tries to leave the site (refused however it is encoded).
 */
record SiteFile(Kind kind, Path file, long size, long lastModifiedMillis, String reason) {
  enum Kind {
    FILE,
    ADD_SLASH,
    NOT_FOUND,
    REFUSED
  }

  static SiteFile found(Path file, long size, long lastModifiedMillis) {
    return new SiteFile(Kind.FILE, file, size, lastModifiedMillis, null);
  }

  static SiteFile addSlash() {
    return new SiteFile(Kind.ADD_SLASH, null, 0, 0, null);
  }

  static SiteFile notFound(String reason) {
    return new SiteFile(Kind.NOT_FOUND, null, 0, 0, reason);
  }

  static SiteFile refused(String reason) {
    return new SiteFile(Kind.REFUSED, null, 0, 0, reason);
  }
}
