package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.Tool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** curl, the learner's own tool, against the server: names pinned with --resolve, CA with --cacert. */
class WebServerCurlIT {
  @TempDir static Path stateDir;
  @RegisterExtension static final RunningWebServer web = RunningWebServer.withBundledSites(() -> stateDir);

  @BeforeAll
  static void requireCurl() {
    Tool.CURL.require();
  }

  @Test
  void fetchesALabSiteOverHttp2WithTheExportedCa() throws Exception {
    String out =
        curl("--http2", "--resolve", "www.google.com:" + web.httpsPort() + ":127.0.0.1",
            "--cacert", web.server().certificateAuthority().certificatePath().toString(),
            "-w", "\\n%{http_version} %{http_code}", "https://www.google.com:" + web.httpsPort() + "/");

    assertThat(out).contains("<b>www.google.com</b>").endsWith("\n2 200");
  }

  @Test
  void fetchesALabSiteOverHttp11InClearText() throws Exception {
    String out =
        curl("--http1.1", "--resolve", "www.example.co.kr:" + web.httpPort() + ":127.0.0.1",
            "-w", "\\n%{http_version} %{http_code}", "http://www.example.co.kr:" + web.httpPort() + "/");

    assertThat(out).contains("<b>www.example.co.kr</b>").endsWith("\n1.1 200");
  }

  @Test
  void seesItsOwnRequestInTheEchoOverHttp2() throws Exception {
    String out =
        curl("--http2", "--resolve", "www.naver.com:" + web.httpsPort() + ":127.0.0.1",
            "--cacert", web.server().certificateAuthority().certificatePath().toString(),
            "-H", "Accept: application/json", "https://www.naver.com:" + web.httpsPort() + "/_lab/echo");

    assertThat(out).contains("\"protocol\" : \"h2\"").contains("\"value\" : \"www.naver.com:" + web.httpsPort() + "\"")
        .contains("curl/");
  }

  @Test
  void decompressesGzipWhenAskedWithCompressed() throws Exception {
    String out =
        curl("--compressed", "-D", "-", "--resolve", "www.google.com:" + web.httpPort() + ":127.0.0.1",
            "http://www.google.com:" + web.httpPort() + "/");

    assertThat(out).containsIgnoringCase("content-encoding: gzip").contains("<b>www.google.com</b>");
  }

  @Test
  void givesUpOnAnHttp2StreamWhoseUploadNeverEnds(@TempDir Path otherState) throws Exception {
    WebLimits quick = WebLimits.DEFAULTS.withRequestTimeout(Duration.ofMillis(300));
    try (RunningWebServer slow = RunningWebServer.startedNow(BundledSites.extract(), otherState, quick)) {
      Process curl =
          new ProcessBuilder("curl", "-sS", "--max-time", "10", "--http2", "-X", "POST", "-T", "-",
                  "--resolve", "www.naver.com:" + slow.httpsPort() + ":127.0.0.1",
                  "--cacert", slow.server().certificateAuthority().certificatePath().toString(),
                  "https://www.naver.com:" + slow.httpsPort() + "/_lab/echo")
              .redirectErrorStream(true)
              .start();
      try {
        // A few bytes of body, then nothing: stdin stays open, so the stream's request never ends.
        curl.getOutputStream().write("partial\n".getBytes(StandardCharsets.US_ASCII));
        curl.getOutputStream().flush();

        // curl blocks reading stdin and cannot show the 408, so ask the server what it did.
        long deadline = System.nanoTime() + RunningWebServer.DEADLINE.toNanos();
        String rejected = "web_rejected_total{reason=\"request-timeout\"} 1.0";
        while (!slow.server().registry().scrape().contains(rejected) && System.nanoTime() < deadline) {
          LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll, bounded by the deadline
        }

        assertThat(slow.server().registry().scrape()).contains(rejected);
      } finally {
        curl.destroyForcibly();
      }
    }
  }

  @Test
  void failsWithoutTheLabCa() throws Exception {
    Process process =
        new ProcessBuilder("curl", "-sS", "--resolve", "www.google.com:" + web.httpsPort() + ":127.0.0.1",
                "https://www.google.com:" + web.httpsPort() + "/")
            .redirectErrorStream(true)
            .start();

    assertThat(process.waitFor(RunningWebServer.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(60); // CURLE_PEER_FAILED_VERIFICATION
  }

  private static String curl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(RunningWebServer.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(text).isZero();
    return text;
  }
}
