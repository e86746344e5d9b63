package dev.dnslab.core.zone;

import dev.dnslab.core.config.ConfigFileException;
import java.nio.file.Path;

/**
 * A zone file that cannot be served, e.g. {@code zones/tld/com.zone:14: ns1.example.com. has no
 * glue}; a problem with the zone as a whole has no line: {@code zones/tld/com.zone: no SOA ...}.
 */
public final class ZoneLoadException extends ConfigFileException {
  private static final long serialVersionUID = 1L;

  public ZoneLoadException(Path file, int line, String reason) {
    this(file, line, reason, null);
  }

  public ZoneLoadException(Path file, int line, String reason, Throwable cause) {
    super(file, line, reason, cause);
  }
}
