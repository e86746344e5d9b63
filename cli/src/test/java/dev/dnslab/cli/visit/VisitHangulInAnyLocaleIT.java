package dev.dnslab.cli.visit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command, {@code java -jar dnslab.jar visit --lang ko}, run as a separate process in the
 * POSIX locale ({@code LANG=C}, and with no locale variable at all). There a JDK 17 writes US-ASCII
 * and every Hangul syllable comes out as '?'. The output must be valid UTF-8 and carry the articles'
 * Korean words.
 */
class VisitHangulInAnyLocaleIT {
  private static final Path JAR = Path.of("target", "dnslab.jar");
  private static final long TIMEOUT_SECONDS = 60;

  /** Variables that choose a locale or slip an encoding into the JVM. */
  private static final List<String> LOCALE_VARIABLES =
      List.of("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

  private static VisitLab lab;

  @TempDir Path state;

  @BeforeAll
  static void startLab() throws Exception {
    assertThat(JAR).as("the fat jar (./mvnw -pl lab -am package)").isRegularFile();
    lab = VisitLab.start();
  }

  @AfterAll
  static void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void printsHangulAsUtf8UnderLangC() throws Exception {
    assertPrintsKorean(Map.of("LANG", "C"));
  }

  @Test
  void printsHangulAsUtf8WithNoLocaleSet() throws Exception {
    assertPrintsKorean(Map.of());
  }

  private void assertPrintsKorean(Map<String, String> locale) throws Exception {
    assertThat(run(locale, List.of("-XshowSettings:properties", "-version")))
        .as("precondition: this locale makes the JVM's own charset ASCII")
        .contains("native.encoding = ANSI_X3.4-1968");

    byte[] out = runBytes(locale, List.of("-jar", JAR.toString(), "visit", "--lang", "ko", "--no-cache", "--no-capture",
        "--state-dir", state.toString(),
        "--router", hostPort(lab.router.dnsAddress()), "--router-admin", hostPort(lab.router.adminAddress()),
        "--recursor", hostPort(lab.recursor.dnsAddress()), "--recursor-admin", hostPort(lab.recursor.adminAddress()),
        "--http-port", Integer.toString(lab.web.httpAddress().getPort()), "http://www.naver.com/"));

    String text = strictUtf8(out);
    assertThat(text).contains("브라우저 캐시", "라우터 캐시", "루트 네임 서버", "Authoritative 네임 서버", "TCP 연결 종료")
        .doesNotContain("???");
  }

  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("not valid UTF-8: " + new String(bytes, StandardCharsets.ISO_8859_1), e);
    }
  }

  private static String run(Map<String, String> locale, List<String> javaArgs) throws IOException, InterruptedException {
    return new String(runBytes(locale, javaArgs), StandardCharsets.UTF_8);
  }

  /** Runs java with stdout and stderr captured, in an environment whose locale is exactly {@code locale}. */
  private static byte[] runBytes(Map<String, String> locale, List<String> javaArgs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaArgs);
    Path output = Files.createTempFile(Path.of("target"), "visit-locale-", ".out");
    try {
      // Into a file, not a pipe: a process that hangs cannot block this test past its deadline.
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      LOCALE_VARIABLES.forEach(builder.environment()::remove);
      builder.environment().putAll(locale);
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      byte[] out = Files.readAllBytes(output);
      assertThat(process.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
      return out;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
