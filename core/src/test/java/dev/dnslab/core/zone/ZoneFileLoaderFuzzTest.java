package dev.dnslab.core.zone;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.xbill.DNS.Record;

/**
 * Any bytes as a zone file: the loader either returns a zone that passed its checks or rejects the
 * file naming it and the line at fault ({@code file:line: reason}); only a problem of the whole
 * file (no SOA, no apex NS) may have no line. Nothing else escapes.
 *
 * <p>Regression inputs: {@code src/test/resources/dev/dnslab/core/zone/ZoneFileLoaderFuzzTestInputs}.
 */
class ZoneFileLoaderFuzzTest {
  private static final Path FILE = tempZoneFile();

  /** Reasons that belong to the file as a whole, so they carry no line. */
  private static final Set<String> WHOLE_FILE_REASONS = Set.of("no SOA record at", "no NS records at");

  private static Path tempZoneFile() {
    try {
      Path dir = Files.createTempDirectory("dnslab-zone-fuzz");
      dir.toFile().deleteOnExit();
      return dir.resolve("fuzz.test.zone");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void loadsOrNamesFileAndLine(byte[] text) throws IOException {
    Files.write(FILE, text);
    try {
      Zone zone = new ZoneFileLoader().load(FILE);
      assertThat(zone.soa()).isNotNull();
      for (Record record : zone.records()) {
        assertThat(record.getName().subdomain(zone.origin())).as("%s inside the zone", record).isTrue();
      }
    } catch (ZoneLoadException e) {
      // dnsjava's tokenizer ends a line at CR, LF or CRLF, as old editors did; count the same way.
      long lines = new String(text, StandardCharsets.UTF_8).split("\r\n|\r|\n", -1).length;
      assertThat(e.file()).isEqualTo(FILE);
      assertThat(e.getMessage()).startsWith(FILE + (e.line() > 0 ? ":" + e.line() + ": " : ": "));
      assertThat(e.line()).as("line of: %s", e.getMessage()).isBetween(0, (int) lines + 1);
      if (e.line() == 0) {
        assertThat(WHOLE_FILE_REASONS.stream().anyMatch(e.reason()::startsWith))
            .as("a rejection without a line must concern the whole file: %s", e.getMessage())
            .isTrue();
      }
    }
  }
}
