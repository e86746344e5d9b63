package dev.dnslab.composeit;

import java.util.List;

/** What a finished command printed and how it exited. */
record CommandResult(List<String> command, int exitCode, String output) {
  boolean succeeded() {
    return exitCode == 0;
  }

  /** Fails with the command and its output, so a broken step explains itself in the report. */
  CommandResult orFail() {
    if (!succeeded()) {
      throw new AssertionError(this.toString());
    }
    return this;
  }

  @Override
  public String toString() {
    return "$ " + String.join(" ", command) + "\n(exit " + exitCode + ")\n" + output;
  }
}
