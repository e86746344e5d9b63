package dev.dnslab.cli.visit;

import java.nio.charset.Charset;

/**
 * How {@code dnslab visit} draws a DNSSEC verdict: a lock (secure), an open lock (insecure), a cross
 * (bogus), a question mark (indeterminate); or, for a terminal whose charset has no such glyphs
 * (LANG=C, a serial console), the verdict in brackets, which reads as well.
 */
public enum LockGlyphs {
  UNICODE,
  ASCII;

  /** Every glyph drawn, for the question whether a charset can show them. */
  private static final String ALL = "\uD83D\uDD12\uD83D\uDD13\u274C\u2753";

  /** The mark for a verdict (SECURE, INSECURE, BOGUS, INDETERMINATE, as /trace writes it). */
  String mark(String security) {
    return switch (security) {
      case "SECURE" -> this == UNICODE ? "\uD83D\uDD12" : "[secure]";         // U+1F512 LOCK
      case "INSECURE" -> this == UNICODE ? "\uD83D\uDD13" : "[insecure]";     // U+1F513 OPEN LOCK
      case "BOGUS" -> this == UNICODE ? "\u274C" : "[BOGUS]";                 // U+274C CROSS MARK
      default -> this == UNICODE ? "\u2753" : "[" + security.toLowerCase(java.util.Locale.ROOT) + "]";
    };
  }

  /**
   * ASCII for a console whose charset cannot encode the glyphs; the glyphs otherwise, and when the
   * output is not a console (a pipe or a file gets UTF-8, see {@code ConsoleTextWriter}).
   */
  public static LockGlyphs forConsole(Charset console) {
    return console == null || (console.canEncode() && console.newEncoder().canEncode(ALL)) ? UNICODE : ASCII;
  }
}
