package dev.dnslab.web;

import java.util.Locale;
import java.util.regex.Pattern;

/** The host part of a Host header or :authority (RFC 9110 7.2): no port, lower case, no final dot. */
final class HostHeader {
  /** Compiled once: String.matches compiles its pattern again on every request. */
  private static final Pattern HOST_CHARACTERS = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:_]+");

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
    if (host.isEmpty() || host.length() > 255 || !HOST_CHARACTERS.matcher(host).matches()) {
      return null;
    }
    return host.toLowerCase(Locale.ROOT);
  }
}
