package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short way's pre-built answers remember what a request path names in a site, and still ask
 * the file system about the file for every request: a file that changes, goes or becomes a link
 * out of the site is seen at once.
 */
class StaticSiteResponderTest {
  private static final AsciiString SERVER = AsciiString.cached(WebRequestHandler.SERVER);

  @TempDir Path root;

  private final StaticSiteResponder files =
      new StaticSiteResponder(new WebMetrics(new SimpleMeterRegistry(), SiteCatalog.load(BundledSites.extract())));

  private Site site() throws IOException {
    Path folder = Files.createDirectories(root.resolve("site")).toRealPath();
    Files.writeString(folder.resolve("page.html"), "first");
    Files.writeString(root.resolve("secret.txt"), "secret");
    return new Site("lab.test", folder);
  }

  /** The normal path's answer, which puts the file in the content cache. */
  private FullHttpResponse normal(Site site, String path) {
    var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    return files.respond(site, new WebExchange(request, "HTTP/1.1", "http", null, null, null, 0));
  }

  private String prebuiltBody(Site site, String path) {
    StaticSiteResponder.PrebuiltFile file =
        files.prebuiltFile(site, path, HttpMethod.GET, ConditionalGet.NONE, ShortWayRequest.Coding.IDENTITY, SERVER, HttpDateClock.now());
    if (file == null) {
      return null;
    }
    return file.response().body().toString(StandardCharsets.UTF_8);
  }

  /** The response as a client decodes its bytes. */
  private static FullHttpResponse decoded(PreEncodedResponse response) {
    EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 16));
    client.writeInbound(Unpooled.wrappedBuffer(response.head().duplicate(), response.body().duplicate()));
    FullHttpResponse decoded = client.readInbound();
    client.finishAndReleaseAll();
    return decoded;
  }

  @Test
  void seesAnEditedFileOnTheNextRequestOfARememberedPath() throws IOException {
    Site site = site();
    normal(site, "/page.html").release();
    assertThat(prebuiltBody(site, "/page.html")).isEqualTo("first");

    Path page = site.root().resolve("page.html");
    Files.writeString(page, "second!");
    Files.setLastModifiedTime(page, FileTime.fromMillis(Files.getLastModifiedTime(page).toMillis() + 2000));
    normal(site, "/page.html").release();

    assertThat(prebuiltBody(site, "/page.html")).isEqualTo("second!");
  }

  @Test
  void givesHttp2TheHeaderFieldsAndBodyOfTheHttp1AnswerConverted() throws Exception {
    Site site = site();
    normal(site, "/page.html").release();
    AsciiString date = HttpDateClock.now();
    FullHttpResponse http1 =
        decoded(files.prebuiltFile(site, "/page.html", HttpMethod.GET, ConditionalGet.NONE, ShortWayRequest.Coding.IDENTITY, SERVER, date).response());
    // What the normal HTTP/2 path writes for that response (Http2RequestHandler.writeResponse).
    Http2Headers converted = HttpConversionUtil.toHttp2Headers(http1, false);

    StaticSiteResponder.Http2File http2 = files.prebuiltHttp2File(site, "/page.html", ConditionalGet.NONE, ShortWayRequest.Coding.IDENTITY, SERVER, date);

    assertThat(fields(http2.headers())).isEqualTo(fields(converted)).contains(":status: 200", "date: " + date);
    assertThat(http2.body().toString(StandardCharsets.UTF_8)).isEqualTo("first");
    assertThat(files.prebuiltHttp2File(site, "/page.html", ConditionalGet.NONE, ShortWayRequest.Coding.IDENTITY, SERVER, date).headers()).isSameAs(http2.headers());
    http1.release();
  }

  private static List<String> fields(Http2Headers headers) {
    List<String> fields = new ArrayList<>();
    headers.forEach(field -> fields.add(field.getKey() + ": " + field.getValue()));
    return fields;
  }

  @Test
  void answersNothingTheShortWayOnceARememberedFileBecomesALinkOutOfTheSite() throws IOException {
    Site site = site();
    normal(site, "/page.html").release();
    assertThat(prebuiltBody(site, "/page.html")).isEqualTo("first");

    Files.delete(site.root().resolve("page.html"));
    Files.createSymbolicLink(site.root().resolve("page.html"), root.resolve("secret.txt"));

    assertThat(prebuiltBody(site, "/page.html")).isNull();
    FullHttpResponse normal = normal(site, "/page.html");
    assertThat(normal.status().code()).isEqualTo(404);
    assertThat(normal.content().toString(StandardCharsets.UTF_8)).doesNotContain("secret");
    normal.release();
  }
}
