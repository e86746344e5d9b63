package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 9110 9.3.2: "The server SHOULD send the same header fields in response to a HEAD request as it
 * would have sent if the request method had been GET", gzip included, and no content.
 */
class HeadResponseTest {
  @TempDir static Path stateDir;
  static RunningWebServer web;

  @BeforeAll
  static void start() {
    web = RunningWebServer.start(BundledSites.extract(), stateDir);
  }

  @AfterAll
  static void stop() {
    web.close();
  }

  @Test
  void headCarriesGetsGzipHeaderFieldsOverHttp11() {
    String get = web.raw(request("GET", "/", "gzip"));
    String head = web.raw(request("HEAD", "/", "gzip"));

    assertThat(fields(get)).containsEntry("content-encoding", "gzip");
    assertThat(fields(head)).isEqualTo(fields(get));
    assertThat(head).endsWith("\r\n\r\n");
  }

  @Test
  void headCarriesGetsHeaderFieldsWithoutGzipToo() {
    String get = web.raw(request("GET", "/style.css", null));
    String head = web.raw(request("HEAD", "/style.css", null));

    assertThat(fields(get)).doesNotContainKey("content-encoding").containsKey("content-length");
    assertThat(fields(head)).isEqualTo(fields(get));
  }

  @Test
  void headSendsNoContentSoThePipelinedNextResponseFollowsItsHeaders() {
    String both = web.raw("HEAD / HTTP/1.1\r\nHost: www.google.com\r\nAccept-Encoding: gzip\r\n\r\n"
        + request("GET", "/logo.svg", null));

    int headEnd = both.indexOf("\r\n\r\n") + 4;
    assertThat(both.substring(0, headEnd)).containsIgnoringCase("content-encoding: gzip");
    assertThat(both.substring(headEnd)).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("content-type: image/svg+xml");
  }

  @Test
  void headCarriesGetsGzipHeaderFieldsOverHttp2() {
    HttpClient h2 = web.tlsClient(HttpClient.Version.HTTP_2);
    // :authority is 127.0.0.1, which names no site: the unknown-host page, large enough to gzip.
    HttpResponse<byte[]> get = RunningWebServer.sendBytes(h2, h2Request("GET"));
    HttpResponse<byte[]> head = RunningWebServer.sendBytes(h2, h2Request("HEAD"));

    assertThat(head.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(get.headers().firstValue("content-encoding")).contains("gzip");
    assertThat(get.headers().firstValue("content-length")).contains(Integer.toString(get.body().length));
    assertThat(withoutDate(head.headers().map())).isEqualTo(withoutDate(get.headers().map()));
    assertThat(head.body()).isEmpty();
  }

  private static HttpRequest h2Request(String method) {
    return HttpRequest.newBuilder(web.https("/"))
        .timeout(RunningWebServer.DEADLINE)
        .header("Accept-Encoding", "gzip")
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
  }

  private static String request(String method, String path, String acceptEncoding) {
    return method + " " + path + " HTTP/1.1\r\nHost: www.google.com\r\n"
        + (acceptEncoding == null ? "" : "Accept-Encoding: " + acceptEncoding + "\r\n")
        + "Connection: close\r\n\r\n";
  }

  /** The header fields of a raw HTTP/1.1 response, names in lower case, without Date (it moves). */
  private static Map<String, String> fields(String response) {
    Map<String, String> fields = new TreeMap<>();
    String head = response.substring(0, response.indexOf("\r\n\r\n"));
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("HTTP/")) {
        fields.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
      }
    }
    fields.remove("date");
    return fields;
  }

  private static Map<String, List<String>> withoutDate(Map<String, List<String>> headers) {
    Map<String, List<String>> copy = new TreeMap<>(headers);
    copy.remove("date");
    return copy;
  }
}
