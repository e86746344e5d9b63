package dev.dnslab.core.dnssec;

import java.nio.file.Path;

/** A DNSSEC policy file that cannot be used; the message reads {@code file:line: reason}. */
public final class DnssecPolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String reason;

  public DnssecPolicyException(Path file, int line, String reason) {
    super((line > 0 ? file + ":" + line : String.valueOf(file)) + ": " + reason);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  public Path file() {
    return file;
  }

  /** 1-based line, 0 when the problem is with the file as a whole. */
  public int line() {
    return line;
  }

  public String reason() {
    return reason;
  }
}
