package dev.dnslab.recursor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.core.cache.CacheMetrics;
import dev.dnslab.recursor.dnssec.AggressiveNegativeCache;
import dev.dnslab.recursor.trace.Priming;
import dev.dnslab.recursor.trace.Trace;
import dev.dnslab.recursor.trace.TraceDnssec;
import dev.dnslab.recursor.trace.TraceStep;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README documents every metric, option and /trace field the code has. */
class ReadmeTest {
  private final String readme = read();

  @Test
  void documentsEveryRecursorMetric() throws Exception {
    for (var field : RecursorMetrics.class.getFields()) {
      String prom = ((String) field.get(null)).replace('.', '_');
      assertThat(readme).as(field.getName()).contains(prom);
    }
  }

  @Test
  void documentsTheAggressiveNegativeCacheMetric() {
    assertThat(readme).contains(AggressiveNegativeCache.SYNTHESIZED.replace('.', '_') + "_total");
  }

  @Test
  void documentsEveryCacheMetric() throws Exception {
    for (var field : CacheMetrics.class.getFields()) {
      String prom = ((String) field.get(null)).replace('.', '_');
      assertThat(readme).as(field.getName()).contains(prom);
    }
  }

  @Test
  void documentsEveryTraceField() {
    for (RecordComponent component : Trace.class.getRecordComponents()) {
      assertThat(readme).contains("\"" + component.getName() + "\"");
    }
    for (RecordComponent component : TraceStep.class.getRecordComponents()) {
      assertThat(readme).contains("\"" + component.getName() + "\"");
    }
    for (RecordComponent component : Priming.class.getRecordComponents()) {
      assertThat(readme).contains("\"" + component.getName() + "\"");
    }
    for (Class<?> type : new Class<?>[] {TraceDnssec.class, TraceDnssec.Ede.class, TraceDnssec.Link.class,
        TraceDnssec.Key.class, TraceDnssec.Signature.class}) {
      for (RecordComponent component : type.getRecordComponents()) {
        assertThat(readme).as(type.getSimpleName()).contains("\"" + component.getName() + "\"");
      }
    }
  }

  @Test
  void documentsEveryCommandLineOption() {
    for (var field : RecursorMain.class.getDeclaredFields()) {
      var option = field.getAnnotation(picocli.CommandLine.Option.class);
      if (option != null) {
        assertThat(readme).contains("`" + option.names()[0]);
      }
    }
  }

  private static String read() {
    try {
      return Files.readString(Path.of("README.md"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
