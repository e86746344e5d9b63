package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The lab's bundled sites, fetched with Java's HttpClient over HTTP/1.1. */
class StaticSiteTest {
  @TempDir static Path stateDir;
  @RegisterExtension static final RunningWebServer web = RunningWebServer.withBundledSites(() -> stateDir);

  @Test
  void servesTheIndexOfTheSiteNamedByHost() {
    HttpResponse<String> google = web.get("www.google.com", "/");
    HttpResponse<String> naver = web.get("www.naver.com", "/");

    assertThat(google.statusCode()).isEqualTo(200);
    assertThat(google.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
    assertThat(google.body()).contains("<b>www.google.com</b>").contains("/_lab/echo");
    assertThat(naver.body()).contains("<b>www.naver.com</b>");
  }

  @Test
  void sendsEachFileWithItsMimeType() {
    assertThat(web.get("www.google.com", "/logo.svg").headers().firstValue("content-type")).contains("image/svg+xml");
    assertThat(web.get("www.google.com", "/style.css").headers().firstValue("content-type")).contains("text/css; charset=utf-8");
  }

  @Test
  void servesAFoldersIndexAndRedirectsWhenTheSlashIsMissing() {
    HttpResponse<String> withoutSlash = web.get("www.google.com", "/about?x=1");
    HttpResponse<String> withSlash = web.get("www.google.com", "/about/");

    assertThat(withoutSlash.statusCode()).isEqualTo(301);
    assertThat(withoutSlash.headers().firstValue("location")).contains("/about/?x=1");
    assertThat(withSlash.statusCode()).isEqualTo(200);
    assertThat(withSlash.body()).contains("About this folder");
  }

  @Test
  void answersAMissingFileWithTheSitesOwn404Page() {
    HttpResponse<String> missing = web.get("www.google.com", "/no-such-page");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("404. That's an error.");
  }

  @Test
  void answersAMissingFileWithTheLabs404PageWhenTheSiteHasNone() {
    HttpResponse<String> missing = web.get("www.naver.com", "/nothing.html");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("404 Not Found").contains("www.naver.com").doesNotContain("Exception");
  }

  @Test
  void answers304WhenTheEtagStillMatches() {
    String etag = web.get("www.google.com", "/").headers().firstValue("etag").orElseThrow();

    HttpResponse<String> again = web.get("www.google.com", "/", "If-None-Match", etag);

    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("etag")).contains(etag);
  }

  @Test
  void answers304WhenNotModifiedSince() {
    String lastModified = web.get("www.google.com", "/").headers().firstValue("last-modified").orElseThrow();

    assertThat(web.get("www.google.com", "/", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
    assertThat(web.get("www.google.com", "/", "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode()).isEqualTo(200);
  }

  @Test
  void sendsTheFileWhenTheEtagDiffersEvenIfNotModifiedSince() {
    String lastModified = web.get("www.google.com", "/").headers().firstValue("last-modified").orElseThrow();

    HttpResponse<String> response =
        web.get("www.google.com", "/", "If-None-Match", "W/\"old\"", "If-Modified-Since", lastModified);

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void gzipsOnlyWhenTheClientAsks() throws IOException {
    HttpResponse<byte[]> gzipped =
        RunningWebServer.sendBytes(
            web.http1Client(),
            HttpRequest.newBuilder(web.http("/")).header("Host", "www.google.com").header("Accept-Encoding", "gzip").build());
    HttpResponse<String> plain = web.get("www.google.com", "/");

    assertThat(gzipped.headers().firstValue("content-encoding")).contains("gzip");
    String unzipped =
        new String(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes(), StandardCharsets.UTF_8);
    assertThat(unzipped).isEqualTo(plain.body());
    assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
    assertThat(plain.headers().firstValue("vary")).hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("accept-encoding"));
  }

  @Test
  void answersHeadWithTheHeadersOfGetAndNoBody() {
    HttpResponse<String> get = web.get("www.google.com", "/");
    HttpResponse<String> head =
        RunningWebServer.send(
            web.http1Client(),
            HttpRequest.newBuilder(web.http("/")).header("Host", "www.google.com").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("content-length")).contains(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length));
    assertThat(head.headers().firstValue("etag")).isEqualTo(get.headers().firstValue("etag"));
  }

  @Test
  void listsTheLabSitesForAnUnknownHost() {
    HttpResponse<String> response = web.get("www.nowhere.example", "/");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body())
        .contains("Host: www.nowhere.example")
        .contains("http://www.google.com/")
        .contains("http://www.naver.com/")
        .contains("http://www.example.co.kr/")
        .contains("http://www.example.org/");
  }

  @Test
  void redirectsAnAliasToItsSiteKeepingThePath() {
    HttpResponse<String> response = web.get("google.com", "/about/?q=dns");

    assertThat(response.statusCode()).isEqualTo(301);
    assertThat(response.headers().firstValue("location")).contains("http://www.google.com/about/?q=dns");
  }

  @Test
  void refusesMethodsOtherThanGetAndHeadOnFiles() {
    HttpResponse<String> response =
        RunningWebServer.send(
            web.http1Client(),
            HttpRequest.newBuilder(web.http("/")).header("Host", "www.google.com").DELETE().build());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("allow")).contains("GET, HEAD");
  }

  @Test
  void answersTwoRequestsOnOneKeptAliveConnection() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), web.httpPort())) {
      socket.setSoTimeout((int) RunningWebServer.DEADLINE.toMillis());
      socket.getOutputStream().write(
          ("GET /style.css HTTP/1.1\r\nHost: www.google.com\r\n\r\n"
                  + "GET /logo.svg HTTP/1.1\r\nHost: www.google.com\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));

      String both = RunningWebServer.readUntilClosed(socket.getInputStream());

      assertThat(both.split("HTTP/1.1 200 OK", -1)).hasSize(3);
      assertThat(both).contains("text/css").contains("image/svg+xml");
    }
  }

  @Test
  void requiresAHostHeaderInHttp11() {
    String response = web.raw("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");

    assertThat(RunningWebServer.statusOf(response)).isEqualTo(400);
    assertThat(response).contains("Host header");
  }
}
