package dev.dnslab.cli.visit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prints a cold and a warm visit (English and Korean) to target/visit-sample-*.txt, for the README and review. */
class VisitPrintIT {
  @TempDir Path state;

  @Test
  void writesSampleOutput() throws Exception {
    try (VisitLab lab = VisitLab.start()) {
      VisitReport cold = new Visit(lab.options(state).noCache(true).build()).run("http://www.google.com/");
      VisitReport warm = new Visit(lab.options(state).build()).run("http://www.google.com/");
      VisitReport naver = new Visit(lab.options(state).noCache(true).build()).run("http://www.naver.com/");
      String en = VisitPrinter.print(cold, "en", "lo") + "\n" + VisitPrinter.print(warm, "en", "lo");
      String ko = VisitPrinter.print(naver, "ko", "lo");
      java.nio.file.Files.writeString(Path.of("target", "visit-sample-en.txt"), en);
      java.nio.file.Files.writeString(Path.of("target", "visit-sample-ko.txt"), ko);
      assertThat(en).contains("[STEP 3-4]");
    }
  }
}
