package dev.dnslab.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers GET and HEAD from a site's folder: the file with its MIME type, index.html for a folder,
 * 304 when the client's copy is current, the site's own 404.html (or the lab's) when nothing is
 * there, and 400 for paths that try to leave the folder.
 */
final class StaticSiteResponder {
  private static final Logger log = LoggerFactory.getLogger(StaticSiteResponder.class);

  /** A site may bring its own not-found page. */
  static final String NOT_FOUND_PAGE = "404.html";

  /**
   * "Keep it, but ask me before using it": every reload then shows a conditional request and its
   * 304 in the browser's network panel (RFC 9111 5.2.2.4).
   */
  private static final String CACHE_CONTROL = "no-cache";

  /**
   * Header fields copied from a pre-built response are not validated again: they were validated
   * when the pre-built response was made, from the normal path's own response.
   */
  private static final DefaultHttpHeadersFactory PREBUILT_HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  /** Pre-built responses kept at most; a lab site has a handful of files. */
  static final int MAX_PREBUILT_FILES = 256;

  /**
   * A pre-built body up to this size is kept in native memory as well: the epoll transport writes
   * such a buffer from where it lies, where it first copies a heap buffer into a new native one for
   * every response (2.5 KB for the lab's index page). Larger files keep only their heap copy, so
   * the native copies stay below {@code MAX_PREBUILT_FILES} times this twice, as it is and gzip-coded
   * (8 MiB).
   */
  static final int MAX_NATIVE_BODY_BYTES = 16 * 1024;

  private final FileContentCache cache = new FileContentCache();
  /** By site and request path: what the path names there before the file system is asked. */
  private final RememberedTargets targets = new RememberedTargets();
  private final WebMetrics metrics;
  /** By file: the 200 responses to a plain GET of the cached version of that file. */
  private final Map<Path, Prebuilt> prebuilt = new ConcurrentHashMap<>();

  /**
   * The responses made once per version of a file: the 200 as it is, and gzip-coded (made at the
   * first request that asks for gzip; the same response as the first for a file under the
   * compressor's threshold, which the full path sends uncoded too), and the 304 a reload gets,
   * whatever its Accept-Encoding: the full path's compressor lets a 304 through as it is (Netty's
   * HttpContentEncoder passes 304 through), and both codings have the same weak ETag.
   */
  private static final class Prebuilt {
    private final FileContentCache.Entry version;
    private final AsciiString server;
    private final PrebuiltResponse identity;
    private final PrebuiltResponse notModified;
    private volatile PrebuiltResponse gzip;

    Prebuilt(FileContentCache.Entry version, AsciiString server) {
      this.version = version;
      this.server = server;
      this.identity = PrebuiltResponse.of(fullPathResponse(version, server), version.content(), version.content().length);
      this.notModified = PrebuiltResponse.of(fullPathNotModified(version, server), new byte[0], 0);
    }

    /** The answer to a request with this condition and this choice of coding; null to leave it to the full path. */
    PrebuiltResponse answering(ConditionalGet condition, ShortWayRequest.Coding coding) {
      if (condition != ConditionalGet.NONE
          && condition.notModified(version.validators().etag(), version.lastModifiedMillis())) {
        return notModified;
      }
      return coding == ShortWayRequest.Coding.FULL_PATH ? null : coded(coding);
    }

    private PrebuiltResponse coded(ShortWayRequest.Coding coding) {
      if (coding != ShortWayRequest.Coding.GZIP) {
        return identity;
      }
      PrebuiltResponse made = gzip;
      if (made == null) {
        // Two event loops asking at once make it twice, the same bytes: harmless.
        made = gzipped(version, server, identity);
        gzip = made;
      }
      return made;
    }
  }

  /**
   * A 200 response: the header fields {@link #file}, {@code Server} and {@code Date} give it on the
   * full path, after the full path's compressor where it is coded, in their order, and its body as a
   * buffer that is never freed. With them, the same fields with the current second's {@code Date},
   * made once per second and shared by every response of that second: as an HTTP/2 header block,
   * and as the HTTP/1.1 head Netty's encoder makes of them, its bytes (copying the fields into a new
   * header map for every response was 15 % of the event loop's allocation under wrk (JFR); encoding
   * them for every response, encodeHeaders alone 2-2.5 % of its time (perf)), as
   * TechEmpower's Netty entry keeps its responses pre-encoded too.
   */
  private static final class PrebuiltResponse {
    private final HttpResponseStatus status;
    private final ByteBuf body;
    /** The length of the file itself, what the metrics and the access log count ("before gzip"). */
    private final long contentBytes;
    /** The HTTP/1.1 head those fields make, encoded by Netty's own encoder: written as it is. */
    private final DatedOncePerSecond<ByteBuf> http1Head;
    private final DatedOncePerSecond<Http2Headers> http2;

    private PrebuiltResponse(HttpResponseStatus status, HttpHeaders headers, ByteBuf body, long contentBytes) {
      this.status = status;
      this.body = body;
      this.contentBytes = contentBytes;
      this.http1Head = new DatedOncePerSecond<>(date -> encodedHead(status, withDate(headers, date)));
      this.http2 = new DatedOncePerSecond<>(date -> http2WithDate(status, headers, date));
    }

    /** Takes the response's fields, {@code content} as its body, and releases the response. */
    static PrebuiltResponse of(FullHttpResponse response, byte[] content, long contentBytes) {
      HttpHeaders headers = PREBUILT_HEADERS.newHeaders();
      headers.add(response.headers());
      ByteBuf body = Unpooled.unreleasableBuffer(prebuiltBody(content).asReadOnly());
      HttpResponseStatus status = response.status();
      response.release();
      return new PrebuiltResponse(status, headers, body, contentBytes);
    }

    /**
     * What HttpConversionUtil.toHttp2Headers makes of the response with {@code Date: date}: {@code
     * :status} first, then the fields, names in lower case (RFC 9113 8.2.2), in the same order. The
     * pre-built response has none of the connection-specific fields that conversion drops.
     */
    private static Http2Headers http2WithDate(HttpResponseStatus status, HttpHeaders headers, AsciiString date) {
      List<AsciiString> pairs = new ArrayList<>(2 * headers.size());
      for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
        Map.Entry<CharSequence, CharSequence> field = it.next();
        pairs.add(AsciiString.of(field.getKey()).toLowerCase());
        pairs.add(isDate(field) ? date : AsciiString.of(field.getValue()));
      }
      AsciiString[] fields = pairs.toArray(new AsciiString[0]);
      return ReadOnlyHttp2Headers.serverHeaders(false, status.codeAsText(), fields);
    }

    /**
     * The head HttpResponseEncoder writes for a response of this status with these fields: for a
     * 200 or a 304 it is the same for GET and HEAD (the encoder changes the fields of a 1xx, 204 or
     * 205 only), and it does not depend on the content, which it writes after the head.
     */
    private static ByteBuf encodedHead(HttpResponseStatus status, HttpHeaders headers) {
      EmbeddedChannel encoder = new EmbeddedChannel(new HttpResponseEncoder());
      try {
        encoder.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE));
        ByteBuf head = Unpooled.buffer();
        for (ByteBuf part; (part = encoder.readOutbound()) != null; ) {
          head.writeBytes(part);
          part.release();
        }
        return Unpooled.unreleasableBuffer(prebuiltBody(ByteBufUtil.getBytes(head)).asReadOnly());
      } finally {
        encoder.finishAndReleaseAll();
      }
    }

    /** The fields with Date's value replaced where it stands, as the full path sets it before gzip. */
    private static HttpHeaders withDate(HttpHeaders headers, AsciiString date) {
      List<CharSequence> pairs = new ArrayList<>(2 * headers.size());
      for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
        Map.Entry<CharSequence, CharSequence> field = it.next();
        pairs.add(field.getKey());
        pairs.add(isDate(field) ? date : field.getValue());
      }
      return new ReadOnlyHttpHeaders(false, pairs.toArray(new CharSequence[0]));
    }

    private static boolean isDate(Map.Entry<CharSequence, CharSequence> field) {
      return HttpHeaderNames.DATE.contentEqualsIgnoreCase(field.getKey());
    }
  }

  /**
   * A value made from the current second's Date and kept until the next second: HttpDateClock hands
   * out one instance per second, so a new instance is a new second (or, when two event loops format
   * the same second at once, the same value again: made twice, harmless).
   */
  private static final class DatedOncePerSecond<T> {
    private record Made<T>(AsciiString date, T value) {}

    private final Function<AsciiString, T> make;
    private volatile Made<T> last;

    DatedOncePerSecond(Function<AsciiString, T> make) {
      this.make = make;
    }

    T at(AsciiString date) {
      Made<T> current = last;
      if (current == null || current.date() != date) {
        current = new Made<>(date, make.apply(date));
        last = current;
      }
      return current.value();
    }
  }

  /**
   * The response the full path gives a plain GET of this version of the file, before any content
   * coding: {@link #file}'s fields, then {@code Server} and {@code Date} as WebRequestHandler stamps
   * them (Date's value a stand-in, replaced per second).
   */
  private static FullHttpResponse fullPathResponse(FileContentCache.Entry version, AsciiString server) {
    FullHttpResponse response = Responses.bytes(HttpResponseStatus.OK, version.validators().contentType(), version.content());
    validators(response.headers(), version.validators());
    return stamped(response, server);
  }

  /** The 304 the full path gives a conditional GET that this version of the file satisfies. */
  private static FullHttpResponse fullPathNotModified(FileContentCache.Entry version, AsciiString server) {
    return stamped(notModified(version.validators()), server);
  }

  /** {@code Server} and {@code Date} as WebRequestHandler stamps them (Date's value a stand-in). */
  private static FullHttpResponse stamped(FullHttpResponse response, AsciiString server) {
    response.headers().set(HttpHeaderNames.SERVER, server);
    response.headers().set(HttpHeaderNames.DATE, HttpDateClock.now());
    return response;
  }

  /** A request that asks for gzip alone, for the compressor that codes a pre-built body. */
  private static final HttpRequest ASKS_FOR_GZIP =
      new DefaultHttpRequest(
          HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
          PREBUILT_HEADERS.newHeaders().add(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP));

  /**
   * The full path's gzip response: the full path's own compressor (a new one, of the same settings)
   * codes the same response, so header fields, their order and the body are its very bytes; {@code
   * identity} itself when it leaves the response uncoded (under its threshold).
   */
  private static PrebuiltResponse gzipped(FileContentCache.Entry version, AsciiString server, PrebuiltResponse identity) {
    EmbeddedChannel compressor = new EmbeddedChannel(WebPipeline.newCompressor());
    try {
      FullHttpResponse coded = ResponseCompressor.encoded(compressor, ASKS_FOR_GZIP, fullPathResponse(version, server));
      if (!coded.headers().contains(HttpHeaderNames.CONTENT_ENCODING)) {
        coded.release();
        return identity;
      }
      return PrebuiltResponse.of(coded, ByteBufUtil.getBytes(coded.content()), version.content().length);
    } finally {
      compressor.finishAndReleaseAll();
    }
  }

  StaticSiteResponder(WebMetrics metrics) {
    this.metrics = metrics;
  }

  FullHttpResponse respond(Site site, WebExchange exchange) {
    SiteFile file = SitePathResolver.resolve(site, exchange.path());
    switch (file.kind()) {
      case REFUSED:
        metrics.rejected("path");
        log.debug("refused {} on {}: {}", exchange.request().uri(), site.host(), file.reason());
        return Responses.error(HttpResponseStatus.BAD_REQUEST, "This path is not allowed: " + file.reason() + ".");
      case ADD_SLASH:
        return Responses.redirect(exchange.path() + "/" + exchange.query());
      case NOT_FOUND:
        return notFound(site, exchange);
      case FILE:
      default:
        return file(file, exchange);
    }
  }

  /**
   * The bytes of the response {@link #respond} plus {@code Server} and {@code Date} would give a GET or HEAD of a
   * file already in the cache, after the full path's compressor for the content coding {@code
   * coding} stands for: its 304 when {@code condition} holds for the cached version (whatever the
   * coding), else its 200; null when the file is not a cached file, or for a 200 the full path
   * codes with deflate (the caller takes the normal path). Made from responses built once per
   * version of the file: this answers the common requests, a browser's or a benchmark's plain GET
   * and a browser's reload, without building that response again.
   */
  PrebuiltFile prebuiltFile(
      Site site,
      String path,
      HttpMethod method,
      ConditionalGet condition,
      ShortWayRequest.Coding coding,
      AsciiString server,
      AsciiString date) {
    PrebuiltResponse made = prebuilt(site, path, condition, coding, server);
    if (made == null) {
      return null;
    }
    // HEAD: GET's head, no content (RFC 9110 9.3.2), as the "head" handler sends it. A 304's body is
    // empty: no duplicate of it per reload.
    boolean head = HttpMethod.HEAD.equals(method);
    ByteBuf body = head || !made.body.isReadable() ? Unpooled.EMPTY_BUFFER : made.body.duplicate();
    return new PrebuiltFile(
        new PreEncodedResponse(made.http1Head.at(date).duplicate(), body), made.status.code(), head ? 0 : made.contentBytes);
  }

  /**
   * A cached file's HTTP/1.1 answer, encoded, its status, and the body bytes its metrics and
   * access-log line count: the file's own length, before gzip, as on the full path (none for HEAD).
   */
  record PrebuiltFile(PreEncodedResponse response, int status, long contentBytes) {}

  /**
   * A cached file's answer over HTTP/2, ready to write: the header block the normal path's response
   * becomes ({@code :status}, then {@link #prebuiltFile}'s fields in their order), shared read-only
   * by every stream of the same second, the body, a buffer that is never freed (write a duplicate),
   * the body bytes the metrics count for a GET (the file's length, before gzip; none for a 304), and
   * the status the metrics count.
   */
  record Http2File(Http2Headers headers, ByteBuf body, long contentBytes, int status) {}

  /**
   * What {@link #prebuiltFile} gives, as an HTTP/2 header block and body instead of an HTTP/1
   * response: no response object, no header map per response and no conversion to HTTP/2 header
   * fields (HttpConversionUtil.toHttp2Headers, which lower-cases and copies every field), for the
   * same bodiless GET or HEAD; null when the file is not a cached file.
   */
  Http2File prebuiltHttp2File(
      Site site, String path, ConditionalGet condition, ShortWayRequest.Coding coding, AsciiString server,
      AsciiString date) {
    PrebuiltResponse made = prebuilt(site, path, condition, coding, server);
    return made == null ? null : new Http2File(made.http2.at(date), made.body, made.contentBytes, made.status.code());
  }

  /** The pre-built response of the cached version of the file the path names, made if need be; or null. */
  private PrebuiltResponse prebuilt(
      Site site, String path, ConditionalGet condition, ShortWayRequest.Coding coding, AsciiString server) {
    SiteFile file = SitePathResolver.resolve(site, targets.target(site, path));
    if (file.kind() != SiteFile.Kind.FILE) {
      return null;
    }
    FileContentCache.Entry version = cache.current(file);
    if (version == null) {
      return null;
    }
    Prebuilt made = prebuilt.get(file.file());
    if (made == null || made.version != version) {
      if (prebuilt.size() >= MAX_PREBUILT_FILES) {
        // Each keeps its file's content alive: bounded as the content cache is.
        prebuilt.clear();
      }
      made = new Prebuilt(version, server);
      prebuilt.put(file.file(), made);
    }
    return made.answering(condition, coding);
  }

  /**
   * The content as a buffer that lives as long as the pre-built response: a JDK direct buffer,
   * freed by the garbage collector once the response is dropped (a new version of the file, or the
   * map cleared), for a small file; the heap array itself for a larger one.
   */
  static ByteBuf prebuiltBody(byte[] content) {
    if (content.length > MAX_NATIVE_BODY_BYTES) {
      return Unpooled.wrappedBuffer(content);
    }
    ByteBuffer nativeCopy = ByteBuffer.allocateDirect(content.length).put(content).flip();
    return Unpooled.wrappedBuffer(nativeCopy);
  }

  private FullHttpResponse file(SiteFile file, WebExchange exchange) {
    FileContentCache.Entry cached = cache.current(file);
    FileContentCache.Validators validators = cached != null ? cached.validators() : FileContentCache.Validators.of(file);
    ConditionalGet condition = ConditionalGet.of(RequestFields.of(exchange.request().headers()));
    if (condition.notModified(validators.etag(), file.lastModifiedMillis())) {
      return notModified(validators);
    }
    // HEAD too: the content decides GET's Content-Encoding and Content-Length (RFC 9110 9.3.2), and
    // the pipeline's "head" handler sends none of it.
    FullHttpResponse response;
    try {
      byte[] content = cached != null ? cached.content() : cache.read(file);
      response = Responses.bytes(HttpResponseStatus.OK, validators.contentType(), content);
    } catch (IOException e) {
      log.warn("cannot read {}: {}", file.file(), e.toString());
      return Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "The file exists but could not be read.");
    }
    validators(response.headers(), validators);
    return response;
  }

  /** RFC 9110 15.4.5: a 304 carries the validators and fields a 200 would (Cache-Control, Vary), no content. */
  private static FullHttpResponse notModified(FileContentCache.Validators validators) {
    FullHttpResponse response = Responses.empty(HttpResponseStatus.NOT_MODIFIED);
    validators(response.headers(), validators);
    return response;
  }

  private static void validators(HttpHeaders headers, FileContentCache.Validators validators) {
    headers.set(HttpHeaderNames.ETAG, validators.etag());
    headers.set(HttpHeaderNames.LAST_MODIFIED, validators.lastModified());
    headers.set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL);
    // RFC 9110 12.5.5: the body may be gzip or not depending on Accept-Encoding; caches must know.
    headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
  }

  private FullHttpResponse notFound(Site site, WebExchange exchange) {
    byte[] page = null;
    SiteFile custom = SitePathResolver.resolve(site, "/" + NOT_FOUND_PAGE);
    if (custom.kind() == SiteFile.Kind.FILE) {
      try {
        page = cache.read(custom);
      } catch (IOException e) {
        log.debug("cannot read {}: {}", custom.file(), e.toString());
      }
    }
    return page != null
        ? Responses.bytes(HttpResponseStatus.NOT_FOUND, MimeTypes.HTML, page)
        : Responses.html(HttpResponseStatus.NOT_FOUND, LabPages.notFound(site.host(), exchange.path()));
  }

}
