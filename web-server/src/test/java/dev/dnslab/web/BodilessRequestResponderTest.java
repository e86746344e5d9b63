package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The short way for a plain GET or HEAD sends the very bytes the normal path sends: raw HTTP/1.1
 * through the real connection pipeline ({@link WebPipeline}) in an EmbeddedChannel, with and
 * without the "bodiless" handler, compared byte for byte (only the Date value may differ, when a
 * second passes between the two).
 */
class BodilessRequestResponderTest {
  private static final SiteCatalog SITES = SiteCatalog.load(BundledSites.extract());
  private static final WebMetrics METRICS = new WebMetrics(new SimpleMeterRegistry(), SITES);
  private static final WebPipeline PIPELINE = new WebPipeline(WebLimits.DEFAULTS, METRICS);
  private static final ShortWayRequest.Coding IDENTITY = ShortWayRequest.Coding.IDENTITY;

  private final StaticSiteResponder files = new StaticSiteResponder(METRICS);
  private final WebRequestHandler handler = new WebRequestHandler(SITES, files, METRICS, "http", "ca"::getBytes);
  private EmbeddedChannel withShortWay;
  private EmbeddedChannel normalOnly;

  @BeforeEach
  void connect() {
    withShortWay = connection();
    normalOnly = connection();
    normalOnly.pipeline().remove("bodiless");
  }

  @AfterEach
  void close() {
    withShortWay.finishAndReleaseAll();
    normalOnly.finishAndReleaseAll();
  }

  private EmbeddedChannel connection() {
    EmbeddedChannel channel = new LoopbackChannel();
    PIPELINE.addIdleTimeout(channel.pipeline());
    PIPELINE.addHttp1(channel.pipeline(), handler);
    return channel;
  }

  private static String exchange(EmbeddedChannel channel, String request) {
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    channel.runPendingTasks();
    channel.checkException();
    StringBuilder wire = new StringBuilder();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      ByteBuf bytes = (ByteBuf) out;
      wire.append(bytes.toString(StandardCharsets.ISO_8859_1));
      bytes.release();
    }
    return wire.toString().replaceAll("\r\ndate: [^\r]*\r\n", "\r\ndate: (now)\r\n");
  }

  private static String get(String method, String path, String... extraHeaders) {
    return method + " " + path + " HTTP/1.1\r\nHost: www.google.com\r\nUser-Agent: test\r\n"
        + String.join("", extraHeaders) + "\r\n";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /", "GET /style.css", "GET /logo.svg", "GET /about/", "HEAD /", "HEAD /style.css", "GET /no-such-page",
        "HEAD /no-such-page", "GET /about", "GET /_lab/echo", "POST /"
      })
  void sendsTheNormalPathsBytes(String request) {
    String[] parts = request.split(" ");
    String raw = get(parts[0], parts[1]);
    // Twice: the first request reads the file into the cache, the second may take the short way.
    for (int i = 0; i < 2; i++) {
      String expected = exchange(normalOnly, raw);
      String actual = exchange(withShortWay, raw);

      assertThat(actual).isEqualTo(expected).startsWith("HTTP/1.1 ");
    }
  }

  /** What browsers and clients send, and the cases of RFC 9110 12.5.3 the compressor decides on. */
  static final List<String> ACCEPT_ENCODINGS =
      List.of("gzip, deflate, br, zstd", "gzip, deflate, br", "gzip", "deflate", "gzip;q=0, deflate", "br", "identity",
          "*", "gzip;q=0.5, deflate;q=0.9", "gzip;q=0", "deflate, gzip", "*;q=0", "br;q=1, gzip;q=0.8",
          "gzip;q=0, br");

  static List<String> acceptEncodings() {
    return ACCEPT_ENCODINGS;
  }

  @ParameterizedTest
  @MethodSource("acceptEncodings")
  void sendsTheNormalPathsBytesWhateverTheAcceptEncoding(String acceptEncoding) {
    for (String path : new String[] {"/", "/logo.svg", "/style.css"}) {
      for (String method : new String[] {"GET", "HEAD"}) {
        String raw = get(method, path, "Accept-Encoding: " + acceptEncoding + "\r\n");
        for (int i = 0; i < 2; i++) {
          String expected = exchange(normalOnly, raw);
          String actual = exchange(withShortWay, raw);

          assertThat(actual).as(raw).isEqualTo(expected).startsWith("HTTP/1.1 200 OK\r\n");
        }
      }
    }
  }

  @Test
  void neverSendsACodingTheRequestRefusesWithQZero() {
    // RFC 9110 12.5.3: q=0 refuses gzip; br, preferred, is not made here, so the file goes as it is
    // (Netty's own choice would fall back to gzip). The same request with gzip at q=0.1 gets gzip.
    for (EmbeddedChannel connection : new EmbeddedChannel[] {normalOnly, withShortWay}) {
      String refused = exchange(connection, get("GET", "/", "Accept-Encoding: gzip;q=0, br\r\n"));
      String accepted = exchange(connection, get("GET", "/", "Accept-Encoding: gzip;q=0.1, br\r\n"));

      assertThat(headerSection(refused)).startsWith("HTTP/1.1 200 OK\r\n").doesNotContainIgnoringCase("content-encoding");
      assertThat(headerSection(accepted)).containsIgnoringCase("content-encoding: gzip\r\n");
    }
  }

  private static String headerSection(String response) {
    return response.substring(0, response.indexOf("\r\n\r\n") + 2);
  }

  @Test
  void answersABrowsersRequestForGzipWithoutTheHandlersBehindIt() {
    exchange(normalOnly, get("GET", "/"));
    EmbeddedChannel shortWayOnly = connection();
    for (String behind : new String[] {"head", "gzip", "aggregate", "request"}) {
      shortWayOnly.pipeline().remove(behind);
    }

    String chrome = exchange(shortWayOnly, get("GET", "/", "Accept-Encoding: gzip, deflate, br, zstd\r\n"));
    String head = exchange(shortWayOnly, get("HEAD", "/", "Accept-Encoding: gzip\r\n"));
    String identity = exchange(shortWayOnly, get("GET", "/", "Accept-Encoding: br\r\n"));
    // The compressor would pick deflate: left to the full path, here absent.
    String deflate = exchange(shortWayOnly, get("GET", "/", "Accept-Encoding: gzip;q=0.5, deflate;q=0.9\r\n"));
    shortWayOnly.finishAndReleaseAll();

    assertThat(chrome).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\ncontent-encoding: gzip\r\n");
    assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\ncontent-encoding: gzip\r\n");
    assertThat(identity).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("content-encoding");
    assertThat(deflate).isEmpty();
  }

  @Test
  void sendsTheNormalPathsBytesForPipelinedRequestsOfBothKinds() {
    String pipelined =
        get("GET", "/") + get("HEAD", "/style.css") + get("GET", "/", "Accept-Encoding: gzip\r\n")
            + get("GET", "/no-such-page") + get("HEAD", "/") + get("GET", "/logo.svg")
            + get("GET", "/", "Accept-Encoding: deflate\r\n") + get("HEAD", "/", "Accept-Encoding: gzip, br\r\n");
    exchange(normalOnly, pipelined);

    String expected = exchange(normalOnly, pipelined);
    String actual = exchange(withShortWay, pipelined);

    assertThat(actual).isEqualTo(expected);
    // Eight responses, each with its own Server field.
    assertThat(actual.split("\r\nserver: dnslab-web\r\n", -1)).hasSize(9);
  }

  @Test
  void stampsEveryResponseWithTheDateItIsGivenWhileTheOtherFieldsStayTheFiles() {
    exchange(normalOnly, get("GET", "/"));
    Site site = SITES.site("www.google.com");
    AsciiString server = AsciiString.cached(WebRequestHandler.SERVER);
    AsciiString first = AsciiString.cached("Thu, 03 Dec 2026 14:08:00 GMT");
    AsciiString next = AsciiString.cached("Thu, 03 Dec 2026 14:08:01 GMT");

    PreEncodedResponse atFirst = files.prebuiltFile(site, "/", HttpMethod.GET, ConditionalGet.NONE, IDENTITY, server, first).response();
    PreEncodedResponse atNext = files.prebuiltFile(site, "/", HttpMethod.HEAD, ConditionalGet.NONE, IDENTITY, server, next).response();
    PreEncodedResponse atFirstAgain = files.prebuiltFile(site, "/", HttpMethod.GET, ConditionalGet.NONE, IDENTITY, server, first).response();

    assertThat(headLines(atFirst)).contains("date: " + first);
    assertThat(headLines(atNext)).contains("date: " + next);
    assertThat(headLines(atFirstAgain)).contains("date: " + first);
    assertThat(withoutDate(atNext)).isEqualTo(withoutDate(atFirst)).isNotEmpty();
    assertThat(atFirst.body().readableBytes()).isEqualTo(atFirstAgain.body().readableBytes()).isPositive();
    assertThat(atNext.body().readableBytes()).isZero();
  }

  @Test
  void keepsTheEncodedHeadWhereTheTransportWritesItFromWithoutACopy() {
    exchange(normalOnly, get("GET", "/"));
    Site site = SITES.site("www.google.com");
    AsciiString server = AsciiString.cached(WebRequestHandler.SERVER);
    AsciiString date = HttpDateClock.now();

    PreEncodedResponse response = files.prebuiltFile(site, "/", HttpMethod.GET, ConditionalGet.NONE, IDENTITY, server, date).response();

    assertThat(response.head().hasMemoryAddress() || response.head().isDirect()).isTrue();
    assertThat(headLines(response)).startsWith("HTTP/1.1 200 OK").contains("date: " + date);
  }

  @Test
  void keepsASmallFilesBodyWhereTheTransportWritesItFromWithoutACopy() {
    exchange(normalOnly, get("GET", "/"));
    Site site = SITES.site("www.google.com");
    AsciiString server = AsciiString.cached(WebRequestHandler.SERVER);

    PreEncodedResponse response = files.prebuiltFile(site, "/", HttpMethod.GET, ConditionalGet.NONE, IDENTITY, server, HttpDateClock.now()).response();

    // What the epoll transport writes as it is (UnixChannelUtil.isBufferCopyNeededForWrite).
    assertThat(response.body().hasMemoryAddress() || response.body().isDirect()).isTrue();
    assertThat(response.body().readableBytes()).isPositive();
  }

  @Test
  void keepsALargeBodyOnTheHeapOnly() {
    byte[] large = new byte[StaticSiteResponder.MAX_NATIVE_BODY_BYTES + 1];
    large[0] = 'x';

    ByteBuf body = StaticSiteResponder.prebuiltBody(large);

    assertThat(body.isDirect()).isFalse();
    assertThat(body.readableBytes()).isEqualTo(large.length);
    assertThat(body.getByte(0)).isEqualTo((byte) 'x');
  }

  /** The status line and header fields of a pre-encoded response, one a line. */
  private static List<String> headLines(PreEncodedResponse response) {
    return List.of(response.head().toString(StandardCharsets.ISO_8859_1).split("\r\n"));
  }

  private static List<String> withoutDate(PreEncodedResponse response) {
    return headLines(response).stream().filter(line -> !line.regionMatches(true, 0, "date:", 0, 5)).toList();
  }

  @Test
  void answersACachedFileWithoutTheHandlersBehindIt() {
    exchange(normalOnly, get("GET", "/"));
    exchange(normalOnly, get("GET", "/style.css"));
    EmbeddedChannel shortWayOnly = connection();
    for (String behind : new String[] {"head", "gzip", "aggregate", "request"}) {
      shortWayOnly.pipeline().remove(behind);
    }

    String answered =
        exchange(shortWayOnly, get("GET", "/") + get("HEAD", "/style.css") + get("GET", "/", "If-None-Match: \"x\"\r\n"));
    // Nothing behind it: a request the short way does not take gets no answer.
    String notTaken =
        exchange(shortWayOnly, get("GET", "/", "Accept-Encoding: deflate\r\n")
            + get("GET", "/", "Accept-Encoding: deflate\r\n", "If-None-Match: \"x\"\r\n")
            + get("GET", "/no-such-page") + "GET / HTTP/1.0\r\nHost: www.google.com\r\n\r\n"
            + get("GET", "/", "Connection: close\r\n"));
    shortWayOnly.finishAndReleaseAll();

    assertThat(answered.split("HTTP/1.1 200 OK\r\n", -1)).hasSize(4);
    assertThat(notTaken).isEmpty();
  }

  @Test
  void sendsTheNormalPathsBytesForRequestsItLeavesToTheNormalPath() {
    String[] requests = {
      get("GET", "/", "Accept-Encoding: deflate\r\n"),
      get("GET", "/", "If-None-Match: W/\"x\"\r\n"),
      "GET / HTTP/1.0\r\nHost: www.google.com\r\n\r\n",
      get("GET", "/", "Content-Length: 3\r\n") + "abc",
      "GET / HTTP/1.1\r\nUser-Agent: test\r\n\r\n",
      get("GET", "/", "Connection: close\r\n"),
    };
    for (String raw : requests) {
      EmbeddedChannel primer = connection();
      exchange(primer, raw);
      primer.finishAndReleaseAll();
      EmbeddedChannel normal = connection();
      normal.pipeline().remove("bodiless");
      EmbeddedChannel shortWay = connection();

      assertThat(exchange(shortWay, raw)).as(raw).isEqualTo(exchange(normal, raw)).startsWith("HTTP/1.");
      normal.finishAndReleaseAll();
      shortWay.finishAndReleaseAll();
    }
  }

  /**
   * A browser's reload and its variations (RFC 9110 13.1.1, 13.1.3, 13.2.2), with the status the
   * full path gives: {etag} is the file's own ETag (weak, as this server sends it for both codings),
   * {strong} the same tag without W/ (what a strong tag from another server's identity variant
   * looks like), {lm} its Last-Modified. BrowserRequestsCurlIT sends them over HTTP/1.1 and h2.
   */
  static List<String[]> conditions() {
    return List.of(
        new String[] {"If-None-Match: {etag}", "304"},
        new String[] {"If-None-Match: {strong}", "304"},
        new String[] {"If-None-Match: \"other\", {etag}", "304"},
        new String[] {"If-None-Match: W/\"a\" ,  {strong}  ,W/\"b\"", "304"},
        new String[] {"If-None-Match: *", "304"},
        new String[] {"If-None-Match: W/\"other\"", "200"},
        new String[] {"If-None-Match: W/ {strong}", "200"},
        new String[] {"If-None-Match: ", "200"},
        // Two lines of a list-based field are one list (RFC 9110 5.3): the second line's tag matches.
        new String[] {"If-None-Match: W/\"other\"\r\nIf-None-Match: {etag}", "304"},
        new String[] {"If-Modified-Since: {lm}", "304"},
        new String[] {"If-Modified-Since: Fri, 31 Dec 2100 23:59:59 GMT", "304"},
        new String[] {"If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT", "200"},
        new String[] {"If-Modified-Since: yesterday", "200"},
        new String[] {"If-None-Match: W/\"other\"\r\nIf-Modified-Since: {lm}", "200"},
        new String[] {"If-None-Match: {etag}\r\nIf-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT", "304"});
  }

  static List<String> reloadAcceptEncodings() {
    return List.of("", "Accept-Encoding: gzip, deflate, br, zstd\r\n", "Accept-Encoding: deflate\r\n",
        "Accept-Encoding: br\r\n");
  }

  @ParameterizedTest
  @MethodSource("reloadAcceptEncodings")
  void answersAConditionalRequestAsTheNormalPathDoes(String acceptEncoding) {
    for (String path : new String[] {"/", "/style.css", "/logo.svg"}) {
      Map<String, String> validators = validators(path);
      for (String[] condition : conditions()) {
        String fields = condition[0].replace("{etag}", validators.get("etag"))
            .replace("{strong}", validators.get("etag").substring(2)).replace("{lm}", validators.get("last-modified"));
        for (String method : new String[] {"GET", "HEAD"}) {
          String raw = get(method, path, acceptEncoding, fields + "\r\n");
          String expected = exchange(normalOnly, raw);
          String actual = exchange(withShortWay, raw);

          assertThat(actual).as(raw).isEqualTo(expected).startsWith("HTTP/1.1 " + condition[1] + " ");
        }
      }
    }
  }

  /** The file's ETag and Last-Modified, as the normal path sends them; the file is cached after. */
  private Map<String, String> validators(String path) {
    String response = exchange(normalOnly, get("GET", path));
    Map<String, String> fields = new java.util.HashMap<>();
    for (String line : headerSection(response).split("\r\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0) {
        fields.put(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT), line.substring(colon + 2));
      }
    }
    assertThat(fields.get("etag")).startsWith("W/\"");
    assertThat(fields.get("last-modified")).endsWith(" GMT");
    return fields;
  }

  @Test
  void answersABrowsersReloadWithoutTheHandlersBehindIt() {
    Map<String, String> validators = validators("/");
    EmbeddedChannel shortWayOnly = connection();
    for (String behind : new String[] {"head", "gzip", "aggregate", "request"}) {
      shortWayOnly.pipeline().remove(behind);
    }
    String reload = "Accept-Encoding: gzip, deflate, br, zstd\r\nIf-None-Match: " + validators.get("etag")
        + "\r\nIf-Modified-Since: " + validators.get("last-modified") + "\r\n";

    String get = exchange(shortWayOnly, get("GET", "/", reload));
    String head = exchange(shortWayOnly, get("HEAD", "/", reload));
    // A 304 has no body to code: the full path's compressor lets it through whatever it would pick.
    String deflate = exchange(shortWayOnly, get("GET", "/", "Accept-Encoding: deflate\r\nIf-Modified-Since: "
        + validators.get("last-modified") + "\r\n"));
    shortWayOnly.finishAndReleaseAll();

    for (String answer : new String[] {get, head, deflate}) {
      assertThat(answer).startsWith("HTTP/1.1 304 Not Modified\r\n").endsWith("\r\n\r\n")
          .contains("\r\netag: " + validators.get("etag") + "\r\n").doesNotContain("content-length");
    }
  }
}
