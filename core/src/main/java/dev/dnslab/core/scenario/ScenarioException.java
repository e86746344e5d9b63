package dev.dnslab.core.scenario;

import dev.dnslab.core.config.ConfigFileException;
import java.nio.file.Path;

/** A scenario file that cannot be used; the message reads {@code file:line: reason}. */
public final class ScenarioException extends ConfigFileException {
  private static final long serialVersionUID = 1L;

  public ScenarioException(Path file, int line, String reason) {
    this(file, line, reason, null);
  }

  public ScenarioException(Path file, int line, String reason, Throwable cause) {
    super(file, line, reason, cause);
  }

  /** Scenario errors always print a line, {@code :0} for the file as a whole, as they always have. */
  @Override
  protected String location() {
    return file() + ":" + line();
  }
}
