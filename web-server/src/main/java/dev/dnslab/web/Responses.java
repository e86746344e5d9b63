package dev.dnslab.web;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Builds complete responses: status line, Content-Type and Content-Length, body. */
final class Responses {
  private Responses() {}

  static FullHttpResponse bytes(HttpResponseStatus status, String contentType, byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }

  static FullHttpResponse html(HttpResponseStatus status, String html) {
    return bytes(status, MimeTypes.HTML, html.getBytes(StandardCharsets.UTF_8));
  }

  static FullHttpResponse error(HttpResponseStatus status, String explanation) {
    return html(status, LabPages.error(status.code(), status.reasonPhrase(), explanation));
  }

  /** A body-less response, e.g. 304 Not Modified (RFC 9110 15.4.5). */
  static FullHttpResponse empty(HttpResponseStatus status) {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
  }

  static FullHttpResponse redirect(String target) {
    String location = asUriReference(target);
    FullHttpResponse response =
        html(
            HttpResponseStatus.MOVED_PERMANENTLY,
            Html.page("301 Moved Permanently", "<h1>Moved</h1><p>This lives at <a href=\"" + Html.escape(location) + "\">"
                + Html.escape(location) + "</a>.</p>"));
    response.headers().set(HttpHeaderNames.LOCATION, location);
    return response;
  }

  /**
   * A Location value is a URI reference (RFC 9110 10.2.2), which has no spaces, controls or
   * non-ASCII (RFC 3986 2); a redirect built from the request's own path and query may carry any
   * of them (WebRequestFuzzTest found a NUL in a query turning the redirect into a 500), so they are
   * percent-encoded as UTF-8.
   */
  static String asUriReference(String target) {
    StringBuilder encoded = new StringBuilder(target.length());
    for (byte b : target.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c > 0x20 && c < 0x7F) {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return encoded.toString();
  }
}
