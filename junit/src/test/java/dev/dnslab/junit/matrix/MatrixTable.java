package dev.dnslab.junit.matrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What each resolver answered in each scenario, collected by every matrix class in this JVM and
 * written to {@code target/resolver-matrix.md} after each class.
 */
final class MatrixTable {
  static final Path FILE = Path.of("target", "resolver-matrix.md");

  /** One check of one scenario against one resolver. */
  record Row(String resolver, String scenario, String check, String expected, String got, long millis, String verdict) {}

  /** What a resolver's queries looked like to the lab, read from the journal. */
  record Habits(String resolver, String qnameAtTld, boolean mixedCase, String edns, boolean dnssecOk, boolean recursionDesired) {}

  private static final List<Row> ROWS = new ArrayList<>();
  private static final List<Habits> HABITS = new ArrayList<>();
  private static final List<String> RUNTIMES = new ArrayList<>();

  private MatrixTable() {}

  static synchronized void add(Row row) {
    ROWS.add(row);
  }

  static synchronized void add(Habits habits) {
    HABITS.add(habits);
  }

  static synchronized void runtime(String resolver, long millis) {
    RUNTIMES.add(resolver + ": " + millis / 1000.0 + " s");
  }

  static synchronized String render() {
    StringBuilder md = new StringBuilder("# Resolver matrix\n\n");
    md.append("| resolver | scenario | query | correct outcome | answered | ms | |\n");
    md.append("|---|---|---|---|---|---:|---|\n");
    for (Row r : ROWS) {
      md.append("| ").append(r.resolver()).append(" | ").append(r.scenario()).append(" | ").append(r.check())
          .append(" | ").append(r.expected()).append(" | ").append(r.got()).append(" | ").append(r.millis())
          .append(" | ").append(r.verdict()).append(" |\n");
    }
    md.append("\n## What each resolver asked (the lab's query journal, scenario delay)\n\n");
    md.append("| resolver | asked the TLD for | 0x20 mixed case | EDNS payload | DO | RD to authorities |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (Habits h : HABITS) {
      md.append("| ").append(h.resolver()).append(" | ").append(h.qnameAtTld()).append(" | ")
          .append(h.mixedCase() ? "yes" : "no").append(" | ").append(h.edns()).append(" | ")
          .append(h.dnssecOk() ? "set" : "clear").append(" | ").append(h.recursionDesired() ? "set" : "clear").append(" |\n");
    }
    md.append("\nRuntime per resolver: ").append(String.join(", ", RUNTIMES)).append('\n');
    return md.toString();
  }

  static synchronized void write() {
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, render());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
