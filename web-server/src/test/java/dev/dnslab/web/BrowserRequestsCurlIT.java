package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dnslab.testing.MetricsScrape;
import dev.dnslab.testing.Tool;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The short ways answer a request with Accept-Encoding as the full path does, over real sockets,
 * HTTP/1.1 and h2, with curl as the client (without --compressed it prints the bytes as sent). The
 * site holds many copies of one page and of one small file, each with the same bytes and
 * modification time, so with the same validators: the first request for a copy takes the full path
 * (the file is not in memory yet) and the second the short way, and the two answers must be equal,
 * status, every header field in order but Date's value, and the body's bytes.
 */
class BrowserRequestsCurlIT {
  private static final String HOST = "www.google.com";
  /** Above the compressor's threshold (WebPipeline): gzip-coded when asked. */
  private static final byte[] PAGE = ("<!doctype html><title>lab</title>" + "<p>a browser's page</p>\n".repeat(40))
      .getBytes(StandardCharsets.UTF_8);
  /** Below it: never coded. */
  private static final byte[] SMALL = "body { color: teal; }\n".getBytes(StandardCharsets.US_ASCII);
  private static final FileTime MODIFIED = FileTime.fromMillis(1_796_000_000_000L);
  private static final int COPIES = 256;

  @TempDir static Path root;
  @RegisterExtension
  static final RunningWebServer web = RunningWebServer.withSites(BrowserRequestsCurlIT::sites, () -> root.resolve("state"));

  /** The next copy no request has asked for yet. */
  private static final AtomicInteger nextCopy = new AtomicInteger();

  @BeforeAll
  static void requireCurl() {
    Tool.CURL.require();
  }

  private static Path sites() {
    try {
      Path site = Files.createDirectories(root.resolve("sites").resolve(HOST));
      for (int i = 0; i < COPIES; i++) {
        Files.setLastModifiedTime(Files.write(site.resolve("page" + i + ".html"), PAGE), MODIFIED);
        Files.setLastModifiedTime(Files.write(site.resolve("small" + i + ".css"), SMALL), MODIFIED);
      }
      return root.resolve("sites");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> acceptEncodings() {
    return List.of("gzip, deflate, br, zstd", "gzip, deflate, br", "gzip", "deflate", "gzip;q=0, deflate", "br",
        "identity", "*", "gzip;q=0.5, deflate;q=0.9");
  }

  @ParameterizedTest
  @MethodSource("acceptEncodings")
  void answersTheSecondRequestAsTheFirstOverHttp11AndHttp2(String acceptEncoding) throws Exception {
    for (String protocol : new String[] {"--http1.1", "--http2"}) {
      for (String file : new String[] {"page", "small"}) {
        for (boolean head : new boolean[] {false, true}) {
          String path = "/" + file + nextCopy.getAndIncrement() + (file.equals("page") ? ".html" : ".css");
          List<String> options = List.of(protocol, "-H", "Accept-Encoding: " + acceptEncoding);
          String what = protocol + " " + (head ? "HEAD " : "GET ") + path + " Accept-Encoding: " + acceptEncoding;

          Answer fullPath = fetch(options, path, head);
          Answer shortWay = fetch(options, path, head);

          assertThat(shortWay.headerLines()).as(what).isEqualTo(fullPath.headerLines()).first().asString()
              .contains(" 200");
          assertThat(shortWay.body()).as(what).isEqualTo(fullPath.body());
        }
      }
    }
  }

  @Test
  void givesABrowsersRequestTheGzipOfTheFileOnBothWays() throws Exception {
    String path = "/page" + nextCopy.getAndIncrement() + ".html";
    List<String> chrome = List.of("--http2", "-H", "Accept-Encoding: gzip, deflate, br, zstd");

    Answer fullPath = fetch(chrome, path, false);
    Answer shortWay = fetch(chrome, path, false);

    assertThat(shortWay.headerLines()).contains("content-encoding: gzip", "vary: accept-encoding")
        .anyMatch(line -> line.startsWith("etag: W/\""));
    assertThat(gunzip(shortWay.body())).isEqualTo(PAGE);
    assertThat(shortWay.body()).isEqualTo(fullPath.body());
  }

  @Test
  void decompressesTheShortWaysGzipWithCurlCompressed() throws Exception {
    for (String protocol : new String[] {"--http1.1", "--http2"}) {
      String path = "/page" + nextCopy.getAndIncrement() + ".html";
      List<String> options = List.of(protocol, "--compressed");

      Answer fullPath = fetch(options, path, false);
      Answer shortWay = fetch(options, path, false);

      assertThat(shortWay.headerLines()).as(protocol).isEqualTo(fullPath.headerLines())
          .anyMatch(line -> line.equalsIgnoreCase("content-encoding: gzip"));
      assertThat(shortWay.body()).as(protocol).isEqualTo(PAGE);
    }
  }

  /** The same table as the HTTP/1.1 unit test's: a reload and its variations, with the full path's status. */
  static List<String[]> conditions() {
    return BodilessRequestResponderTest.conditions();
  }

  @ParameterizedTest
  @MethodSource("conditions")
  void answersAReloadOnTheShortWayAsOnTheFullPathOverHttp11AndHttp2(String fields, String status) throws Exception {
    String etag = "W/\"" + Long.toHexString(PAGE.length) + "-" + Long.toHexString(MODIFIED.toMillis()) + "\"";
    String lastModified = ImfFixdate.ofMillis(MODIFIED.toMillis());
    for (String protocol : new String[] {"--http1.1", "--http2"}) {
      for (String acceptEncoding : new String[] {"identity", "gzip, deflate, br, zstd"}) {
        for (boolean head : new boolean[] {false, true}) {
          String path = "/page" + nextCopy.getAndIncrement() + ".html";
          List<String> options = new ArrayList<>(List.of(protocol, "-H", "Accept-Encoding: " + acceptEncoding));
          for (String field : fields.split("\r\n")) {
            options.addAll(List.of("-H", field.replace("{etag}", etag).replace("{strong}", etag.substring(2))
                .replace("{lm}", lastModified)));
          }
          String what = protocol + " " + (head ? "HEAD " : "GET ") + path + " " + options;

          // Not in memory yet: the full path answers, and a 304 leaves the file unread.
          Answer fullPath = fetch(options, path, head);
          fetch(List.of(protocol), path, false);
          // In memory now: the short way answers.
          Answer shortWay = fetch(options, path, head);

          assertThat(shortWay.headerLines()).as(what).isEqualTo(fullPath.headerLines()).first().asString()
              .contains(" " + status);
          assertThat(shortWay.body()).as(what).isEqualTo(fullPath.body());
        }
      }
    }
  }

  @Test
  void countsTheShortWaysReloadsAs304OnBothProtocols() throws Exception {
    String etag = "W/\"" + Long.toHexString(PAGE.length) + "-" + Long.toHexString(MODIFIED.toMillis()) + "\"";
    for (String protocol : new String[] {"--http1.1", "--http2"}) {
      String series = "web_requests_total{host=\"" + HOST + "\",protocol=\"" + (protocol.equals("--http2") ? "h2" : "http/1.1")
          + "\",status=\"304\"}";
      String path = "/page" + nextCopy.getAndIncrement() + ".html";
      fetch(List.of(protocol), path, false);
      MetricsScrape before = MetricsScrape.of(web.server().adminAddress());

      fetch(List.of(protocol, "-H", "If-None-Match: " + etag), path, false);
      fetch(List.of(protocol, "-H", "If-None-Match: " + etag), path, true);

      // Counted once each response is handed on, which curl may see before the count: poll.
      MetricsScrape after = MetricsScrape.once(web.server().adminAddress(), now -> now.sample(series) >= before.sample(series) + 2);
      assertThat(after.sample(series) - before.sample(series)).as(protocol).isEqualTo(2);
    }
  }

  /** The status line and header fields as curl printed them, Date's value left out (it moves), and the body. */
  private record Answer(List<String> headerLines, byte[] body) {}

  private Answer fetch(List<String> options, String path, boolean head) throws IOException, InterruptedException {
    Path body = Files.createTempFile(root, "body", ".bin");
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-D", "-", "-o", body.toString()));
    command.addAll(options);
    if (head) {
      command.add("-I");
    }
    boolean h2 = options.contains("--http2");
    int port = h2 ? web.httpsPort() : web.httpPort();
    command.addAll(List.of("--resolve", HOST + ":" + port + ":127.0.0.1"));
    if (h2) {
      command.addAll(List.of("--cacert", web.server().certificateAuthority().certificatePath().toString()));
    }
    command.add((h2 ? "https://" : "http://") + HOST + ":" + port + path);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    assertThat(process.waitFor(RunningWebServer.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    List<String> lines = out.lines().map(String::strip).filter(line -> !line.isEmpty())
        .map(line -> line.regionMatches(true, 0, "date:", 0, 5) ? "date: (now)" : line).toList();
    // curl -I writes the header fields where the body would go: a HEAD answer has no body to compare.
    return new Answer(lines, head ? new byte[0] : Files.readAllBytes(body));
  }

  private static byte[] gunzip(byte[] gzip) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }
}
