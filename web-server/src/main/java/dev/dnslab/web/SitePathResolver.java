package dev.dnslab.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a request path to a file inside a site's folder, and never to anything outside it.
 *
 * <p>Each segment is percent-decoded on its own (RFC 3986 2.1), so {@code %2e%2e} is caught as
 * {@code ..} and {@code %2f} cannot smuggle a separator into a segment. Backslashes are refused in
 * any spelling (Windows treats them as separators). Dot-segments are refused instead of being
 * resolved: a browser removes them before sending (RFC 3986 5.2.4), so only a crafted request has
 * them. Last, the real path (symlinks followed) must still lie inside the site's real folder.
 */
final class SitePathResolver {
  static final String INDEX = "index.html";

  private SitePathResolver() {}

  /**
   * What a request path names in a site before the file system is asked: a refusal or a "not
   * found" that the path alone decides, or the path of the candidate (normalized, inside the site),
   * with the file the usual case looks at ({@code plainFile}: for a path ending in "/", the folder's
   * index.html) and that file's folder. It depends on the site and the path only, so a caller may
   * keep it for the next request of the same path ({@link StaticSiteResponder} does, for the short
   * way of a plain GET): splitting, decoding and building the paths anew for every request of the
   * index page were 1.2 % of the server's CPU samples (async-profiler, wrk -c50 GET /).
   */
  sealed interface Target permits Decided, Candidate {}

  /** The path alone gives the answer: a refusal or a "not found" (a hidden file). */
  record Decided(SiteFile answer) implements Target {}

  /**
   * A path inside the site that only the file system can answer for: {@code path} normalized,
   * whether the request ended in "/", the file the usual case looks at and that file's folder
   * (null when the folder is the site's root's parent, which never holds a page).
   */
  record Candidate(Path path, boolean trailingSlash, Path plainFile, Path plainFolder) implements Target {}

  /** {@code path} is the request target's path, still percent-encoded, without the query. */
  static SiteFile resolve(Site site, String path) {
    return resolve(site, target(site, path));
  }

  /** The file system's answer for a {@link #target} of this site. */
  static SiteFile resolve(Site site, Target target) {
    if (target instanceof Decided decided) {
      return decided.answer();
    }
    Candidate named = (Candidate) target;
    Path candidate = named.path();
    try {
      SiteFile plain = plainFile(site.root(), named);
      if (plain != null) {
        return plain;
      }
      BasicFileAttributes attributes = Files.readAttributes(candidate, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        if (!named.trailingSlash()) {
          // Relative links in index.html only work from "/about/", not from "/about".
          return SiteFile.addSlash();
        }
        candidate = candidate.resolve(INDEX);
        attributes = Files.readAttributes(candidate, BasicFileAttributes.class);
      }
      if (!attributes.isRegularFile()) {
        return SiteFile.notFound("not a regular file");
      }
      if (!holdsNoSymbolicLink(site.root(), candidate) && !candidate.toRealPath().startsWith(site.root())) {
        return SiteFile.notFound("symbolic link leaves the site");
      }
      return SiteFile.found(candidate, attributes.size(), attributes.lastModifiedTime().toMillis());
    } catch (NoSuchFileException e) {
      return SiteFile.notFound("no such file");
    } catch (IOException e) {
      return SiteFile.notFound("unreadable: " + e.getClass().getSimpleName());
    }
  }

  /** The part of resolving {@code path} that needs no file system. */
  static Target target(Site site, String path) {
    if (!path.startsWith("/")) {
      return decided(SiteFile.refused("path does not start with /"));
    }
    if (path.indexOf('\\') >= 0 || path.toLowerCase(java.util.Locale.ROOT).contains("%5c")) {
      return decided(SiteFile.refused("backslash in path"));
    }
    List<String> segments = new ArrayList<>();
    for (String raw : path.substring(1).split("/", -1)) {
      if (raw.isEmpty()) {
        continue;
      }
      String segment = percentDecode(raw);
      if (segment == null) {
        return decided(SiteFile.refused("bad percent-encoding"));
      }
      if (segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
        return decided(SiteFile.refused("encoded separator in path"));
      }
      if (segment.equals("..") || segment.equals(".")) {
        return decided(SiteFile.refused("dot-segment in path"));
      }
      if (segment.startsWith(".")) {
        return decided(SiteFile.notFound("hidden file"));
      }
      segments.add(segment);
    }
    Path candidate = site.root();
    for (String segment : segments) {
      candidate = candidate.resolve(segment);
    }
    candidate = candidate.normalize();
    if (!candidate.startsWith(site.root())) {
      return decided(SiteFile.refused("path leaves the site"));
    }
    boolean trailingSlash = path.endsWith("/");
    Path plainFile = trailingSlash ? candidate.resolve(INDEX) : candidate;
    Path plainFolder = plainFile.getParent();
    return new Candidate(candidate, trailingSlash, plainFile,
        plainFolder != null && plainFolder.startsWith(site.root()) ? plainFolder : null);
  }

  private static Target decided(SiteFile answer) {
    return new Decided(answer);
  }

  /**
   * The usual case in one system call: {@code file} (for a path ending in "/", the folder's
   * index.html) is a regular file and no symbolic link itself, which lstat tells at once; then only
   * the folders between it and the root are left to check, none for a page at the top of the site.
   * Null for anything else (missing, a folder, a link, not a regular file): {@link #resolve} then
   * asks as before, so the answer is the same either way. The stat of the folder and the stat and
   * lstat of its index.html were three system calls and 15 % of the server's CPU per request
   * (perf, wrk -c50 GET /).
   */
  private static SiteFile plainFile(Path root, Candidate target) throws IOException {
    Path file = target.plainFile();
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      // Missing, or a file where a folder was expected ("/page.html/"): the full walk decides.
      return null;
    }
    Path parent = target.plainFolder();
    if (!attributes.isRegularFile() || parent == null || !holdsNoSymbolicLink(root, parent)) {
      return null;
    }
    return SiteFile.found(file, attributes.size(), attributes.lastModifiedTime().toMillis());
  }

  /**
   * Whether no component of {@code file} below {@code root} is a symbolic link. The site's root is a
   * real path and {@code file} a normalized path under it, so then {@code file} is its own real path
   * and lies inside the site, without asking for the real path: one lstat per segment (one for the
   * usual page) against the readlink of every component from / that {@code toRealPath()} makes
   * (strace on the index page: 6 readlink calls per request, a third of its system calls). Only a
   * path through a link pays for the real path.
   */
  private static boolean holdsNoSymbolicLink(Path root, Path file) throws IOException {
    for (Path below = file; below != null && !below.equals(root); below = below.getParent()) {
      if (Files.readAttributes(below, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isSymbolicLink()) {
        return false;
      }
    }
    return true;
  }

  /** Strict UTF-8 percent-decoding; null for a stray '%' or bytes that are not UTF-8. */
  static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int high = Character.digit(raw.charAt(i + 1), 16);
        int low = Character.digit(raw.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
