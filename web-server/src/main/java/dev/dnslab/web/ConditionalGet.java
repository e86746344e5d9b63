package dev.dnslab.web;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Date;

/**
 * The conditions of a GET or HEAD that decide a 304 (RFC 9110 13.1.2 If-None-Match, 13.1.3
 * If-Modified-Since), and their evaluation against a file's validators. The full path ({@link
 * StaticSiteResponder}) and both short ways ({@link BodilessRequestResponder}, {@link
 * Http2BodilessResponder}) ask this same code, so a browser's reload gets the same answer on every
 * way. A null field is absent.
 */
record ConditionalGet(CharSequence ifNoneMatch, CharSequence ifModifiedSince) {
  /** A request without either field: never 304. */
  static final ConditionalGet NONE = new ConditionalGet(null, null);

  /**
   * The request's conditions: If-None-Match is a list, so all its field lines count (RFC 9110 5.3,
   * 13.1.2); If-Modified-Since is one date, its first line.
   */
  static ConditionalGet of(RequestFields fields) {
    CharSequence ifNoneMatch = fields.joined(HttpHeaderNames.IF_NONE_MATCH);
    CharSequence ifModifiedSince = fields.first(HttpHeaderNames.IF_MODIFIED_SINCE);
    return ifNoneMatch == null && ifModifiedSince == null ? NONE : new ConditionalGet(ifNoneMatch, ifModifiedSince);
  }

  /**
   * Whether the client's copy of the version with these validators is current: RFC 9110 13.2.2,
   * If-None-Match wins; If-Modified-Since counts only without it.
   */
  boolean notModified(String etag, long lastModifiedMillis) {
    if (ifNoneMatch != null) {
      return matchesAny(ifNoneMatch, etag);
    }
    if (ifModifiedSince != null) {
      Date since = DateFormatter.parseHttpDate(ifModifiedSince);
      // HTTP dates have whole seconds; compare at that precision or a fresh copy looks stale.
      return since != null && lastModifiedMillis / 1000 <= since.getTime() / 1000;
    }
    return false;
  }

  /**
   * Weak comparison (RFC 9110 8.8.3.2): W/"x" matches "x" and W/"x"; "*" matches any current
   * representation. The value is a comma-separated list, each member stripped of white space, read
   * in place: a browser sends this field with every reload, so no array or string per member.
   */
  static boolean matchesAny(CharSequence ifNoneMatch, String etag) {
    int opaqueStart = etag.startsWith("W/") ? 2 : 0;
    int opaqueLength = etag.length() - opaqueStart;
    int length = ifNoneMatch.length();
    for (int start = 0; start <= length; ) {
      int end = start;
      while (end < length && ifNoneMatch.charAt(end) != ',') {
        end++;
      }
      int from = start;
      int to = end;
      while (from < to && Character.isWhitespace(ifNoneMatch.charAt(from))) {
        from++;
      }
      while (to > from && Character.isWhitespace(ifNoneMatch.charAt(to - 1))) {
        to--;
      }
      if (to - from == 1 && ifNoneMatch.charAt(from) == '*') {
        return true;
      }
      if (to - from >= 2 && ifNoneMatch.charAt(from) == 'W' && ifNoneMatch.charAt(from + 1) == '/') {
        from += 2;
      }
      if (to - from == opaqueLength && regionEquals(ifNoneMatch, from, etag, opaqueStart, opaqueLength)) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }

  private static boolean regionEquals(CharSequence a, int aStart, String b, int bStart, int length) {
    for (int i = 0; i < length; i++) {
      if (a.charAt(aStart + i) != b.charAt(bStart + i)) {
        return false;
      }
    }
    return true;
  }
}
