package dev.dnslab.core.dnssec;

import dev.dnslab.core.config.ConfigFileException;
import java.nio.file.Path;

/** A DNSSEC policy file that cannot be used; the message reads {@code file:line: reason}. */
public final class DnssecPolicyException extends ConfigFileException {
  private static final long serialVersionUID = 1L;

  public DnssecPolicyException(Path file, int line, String reason) {
    super(file, line, reason, null);
  }
}
