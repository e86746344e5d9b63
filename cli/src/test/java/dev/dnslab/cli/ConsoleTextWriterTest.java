package dev.dnslab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleTextWriterTest {
  private static final String KOREAN = "1) 캐시 확인: 브라우저 캐시 없음 (miss)";

  @Test
  void writesUtf8WhenTheConsoleIsAscii() {
    assertThat(ConsoleTextWriter.charsetFor(StandardCharsets.US_ASCII, KOREAN)).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void writesUtf8WhenThereIsNoConsole() {
    assertThat(ConsoleTextWriter.charsetFor(null, KOREAN)).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void keepsAConsoleCharsetThatCanEncodeTheText() {
    Charset eucKr = Charset.forName("EUC-KR");

    assertThat(ConsoleTextWriter.charsetFor(eucKr, KOREAN)).isEqualTo(eucKr);
    assertThat(ConsoleTextWriter.charsetFor(StandardCharsets.US_ASCII, "plain text")).isEqualTo(StandardCharsets.US_ASCII);
  }

  @Test
  void sendsEachFlushedTextWhole() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintWriter out = new PrintWriter(new ConsoleTextWriter(bytes, StandardCharsets.US_ASCII), true);

    out.print(KOREAN);
    assertThat(bytes.size()).as("nothing before the flush").isZero();
    out.flush();

    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(KOREAN);
  }
}
