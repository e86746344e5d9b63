package dev.dnslab.cli.visit;

import dev.dnslab.cli.visit.VisitReport.Body;
import dev.dnslab.cli.visit.VisitReport.Header;
import dev.dnslab.cli.visit.VisitReport.HttpMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes an HTTP/1.1 request the way a browser does and reads the response byte by byte, so the
 * learner sees the messages exactly as they crossed the connection (RFC 9112), each header sorted
 * into the seeds' groups: request (or response), general and representation headers.
 */
final class HttpMessages {
  private static final Set<String> GENERAL = Set.of("connection", "keep-alive", "cache-control", "pragma", "date",
      "via", "upgrade", "trailer", "transfer-encoding", "warning");
  private static final Set<String> REPRESENTATION = Set.of("content-type", "content-length", "content-encoding",
      "content-language", "content-location", "content-range", "last-modified", "etag");
  /** Bodies above this are cut: a learner's page, not a download. */
  private static final int MAX_BODY = 4 * 1024 * 1024;

  private HttpMessages() {}

  /** The group the seeds give a header: request/response, general or representation. */
  static String group(String name, boolean request) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (GENERAL.contains(lower)) {
      return "general";
    }
    if (REPRESENTATION.contains(lower)) {
      return "representation";
    }
    return request ? "request" : "response";
  }

  /** A GET as a browser sends it; {@code hostHeader} includes a non-default port. */
  static HttpMessage get(String target, String hostHeader, String acceptLanguage) {
    List<Header> headers = new ArrayList<>();
    for (String[] h : new String[][] {
        {"Host", hostHeader},
        {"User-Agent", "dnslab-visit/0.1 (the learner's walk)"},
        {"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"},
        {"Accept-Language", acceptLanguage},
        {"Accept-Encoding", "identity"},
        {"Connection", "keep-alive"}}) {
      headers.add(new Header(h[0], h[1], group(h[0], true)));
    }
    String startLine = "GET " + target + " HTTP/1.1";
    return new HttpMessage(startLine, "GET", target, "HTTP/1.1", null, null, headers, new Body(0, null, null));
  }

  static void write(HttpMessage request, OutputStream out) throws IOException {
    StringBuilder text = new StringBuilder(request.startLine()).append("\r\n");
    for (Header h : request.headers()) {
      text.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    text.append("\r\n");
    out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** A response and its body bytes. */
  record Response(HttpMessage message, byte[] body) {}

  /** Reads one response: status line, headers, then a Content-Length or chunked body (RFC 9112 6.3). */
  static Response read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new IOException("the server closed the connection before answering");
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    List<Header> headers = new ArrayList<>();
    long length = -1;
    boolean chunked = false;
    String contentType = null;
    String line;
    while ((line = line(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      headers.add(new Header(name, value, group(name, false)));
      switch (name.toLowerCase(Locale.ROOT)) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "content-type" -> contentType = value;
        default -> { }
      }
    }
    byte[] body = chunked ? chunked(in) : length >= 0 ? exactly(in, (int) Math.min(length, MAX_BODY)) : toEnd(in);
    int status = Integer.parseInt(parts[1]);
    HttpMessage message = new HttpMessage(statusLine, null, null, parts[0], status, parts.length > 2 ? parts[2] : "",
        headers, new Body(body.length, contentType, readAs(contentType)));
    return new Response(message, body);
  }

  /** What the Content-Type's MIME type tells the browser to do with the body. */
  static String readAs(String contentType) {
    if (contentType == null) {
      return "bytes";
    }
    String mime = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return switch (mime) {
      case "text/html", "application/xhtml+xml" -> "html";
      case "text/css" -> "css";
      case "application/json" -> "json";
      case "text/javascript", "application/javascript" -> "javascript";
      case "text/plain" -> "text";
      default -> mime.startsWith("image/") ? "image" : mime.startsWith("text/") ? "text" : "bytes";
    };
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        bytes.write(b);
      }
    }
    if (b == -1 && bytes.size() == 0) {
      return null;
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] exactly(InputStream in, int length) throws IOException {
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new IOException("body ended after " + body.length + " of " + length + " bytes");
    }
    return body;
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      if (size == null) {
        throw new IOException("chunked body ended early");
      }
      int length = Integer.parseInt(size.split(";", 2)[0].strip(), 16);
      if (length == 0) {
        String trailer;
        while ((trailer = line(in)) != null && !trailer.isEmpty()) {
          // Trailers are not shown.
        }
        return body.toByteArray();
      }
      body.write(exactly(in, length));
      line(in);
      if (body.size() > MAX_BODY) {
        throw new IOException("body larger than " + MAX_BODY + " bytes");
      }
    }
  }

  private static byte[] toEnd(InputStream in) throws IOException {
    return in.readNBytes(MAX_BODY);
  }
}
