package dev.dnslab.cli.visit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Screenshots need a Hangul font; without one visit names the package instead of drawing boxes. */
class ChromiumScreenshotTest {
  @Test
  void namesThePackageWhenFontconfigKnowsNoHangulFont(@TempDir Path dir) throws Exception {
    Path noFonts = Files.writeString(dir.resolve("fonts.conf"), "<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n");

    String missing = ChromiumScreenshot.missingHangulFont(Map.of("FONTCONFIG_FILE", noFonts.toString()));

    assertThat(missing).contains("fonts-nanum");
  }
}
