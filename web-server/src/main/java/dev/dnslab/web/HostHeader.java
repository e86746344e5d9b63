package dev.dnslab.web;

import java.util.Locale;

/** The host part of a Host header or :authority (RFC 9110 7.2): no port, lower case, no final dot. */
final class HostHeader {
  private HostHeader() {}

  /** The host name, or null when {@code value} is missing or malformed. */
  static String hostOf(String value) {
    if (value == null) {
      return null;
    }
    String host = value.strip();
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      if (end < 0) {
        return null;
      }
      host = host.substring(0, end + 1);
    } else {
      int colon = host.lastIndexOf(':');
      if (colon >= 0) {
        host = host.substring(0, colon);
      }
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty() || host.length() > 255 || !hasOnlyHostCharacters(host)) {
      return null;
    }
    return host.toLowerCase(Locale.ROOT);
  }

  /**
   * Letters, digits, '.', '-', '_' (seen in real names, though not in a hostname), and '[', ']',
   * ':' of an IP literal. A loop rather than the regex {@code [A-Za-z0-9.\-\[\]:_]+} it replaces,
   * which allocated a Matcher on every request; it accepts the very same strings.
   */
  private static boolean hasOnlyHostCharacters(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '.' || c == '-' || c == '_' || c == '[' || c == ']' || c == ':';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
