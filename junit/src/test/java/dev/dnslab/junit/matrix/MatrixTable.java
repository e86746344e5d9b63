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

  private static final List<Row> ROWS = new ArrayList<>();
  private static final List<String> RUNTIMES = new ArrayList<>();

  private MatrixTable() {}

  static synchronized void add(Row row) {
    ROWS.add(row);
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
