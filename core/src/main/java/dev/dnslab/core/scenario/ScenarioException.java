package dev.dnslab.core.scenario;

import java.nio.file.Path;

/** A scenario file that cannot be used; the message reads {@code file:line: reason}. */
public final class ScenarioException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final int line;
  private final String reason;

  public ScenarioException(Path file, int line, String reason) {
    this(file, line, reason, null);
  }

  public ScenarioException(Path file, int line, String reason, Throwable cause) {
    super(file + ":" + line + ": " + reason, cause);
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
