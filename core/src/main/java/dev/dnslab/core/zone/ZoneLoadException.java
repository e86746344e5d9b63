package dev.dnslab.core.zone;

import java.nio.file.Path;

/**
 * A zone file that cannot be served, with the file, the line (1-based; 0 when the problem belongs
 * to the zone as a whole) and the reason, rendered the way compilers do: {@code
 * zones/tld/com.zone:14: ns1.example.com. has no glue}.
 */
public final class ZoneLoadException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String reason;

  public ZoneLoadException(Path file, int line, String reason) {
    this(file, line, reason, null);
  }

  public ZoneLoadException(Path file, int line, String reason, Throwable cause) {
    super((line > 0 ? file + ":" + line : String.valueOf(file)) + ": " + reason, cause);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  public Path file() {
    return file;
  }

  public int line() {
    return line;
  }

  public String reason() {
    return reason;
  }
}
