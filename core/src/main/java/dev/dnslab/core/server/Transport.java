package dev.dnslab.core.server;

/** The transport a query arrived on; it decides how large the response may be. */
public enum Transport {
  UDP,
  TCP,
  /** DNS over TLS (RFC 7858): TCP framing inside TLS. */
  TLS,
  /** DNS over HTTPS (RFC 8484). */
  HTTPS;

  /** Whether the response is bounded only by the 16-bit TCP length prefix (RFC 1035 4.2.2). */
  public boolean isStream() {
    return this != UDP;
  }

  /** Lower-case name used as a metric tag and in logs. */
  public String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
