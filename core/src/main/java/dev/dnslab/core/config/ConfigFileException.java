package dev.dnslab.core.config;

import java.nio.file.Path;

/**
 * A file the lab reads (a zone file, a scenario) that cannot be used, with the file, the line
 * (1-based; 0 when the problem belongs to the file as a whole) and the reason, rendered the way
 * compilers and dnsjava's {@code Tokenizer} do: {@code zones/tld/com.zone:14: ns1.example.com. has
 * no glue}.
 */
public abstract class ConfigFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String reason;

  protected ConfigFileException(Path file, int line, String reason, Throwable cause) {
    super(reason, cause);
    if (line < 0) {
      throw new IllegalArgumentException("line: " + line + " (expected: >= 0)");
    }
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  /** {@code file:line: reason}. */
  @Override
  public String getMessage() {
    return location() + ": " + reason;
  }

  /** {@code file:line}, or just {@code file} when the problem has no line. */
  protected String location() {
    return line > 0 ? file + ":" + line : String.valueOf(file);
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
