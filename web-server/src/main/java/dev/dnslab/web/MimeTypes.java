package dev.dnslab.web;

import java.util.Locale;
import java.util.Map;

/**
 * The Content-Type for a file name: how the browser will interpret the body (the articles: "the body is
 * interpreted by its Content-Type MIME type"). Text types carry a charset so Korean pages render.
 */
final class MimeTypes {
  static final String HTML = "text/html; charset=utf-8";
  static final String OCTET_STREAM = "application/octet-stream";

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("html", HTML),
          Map.entry("htm", HTML),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("xml", "application/xml"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("pem", "application/x-pem-file"),
          Map.entry("wasm", "application/wasm"));

  private MimeTypes() {}

  static String forFileName(String name) {
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      // RFC 9110 8.3: unknown content is octet-stream; the browser then offers a download.
      return OCTET_STREAM;
    }
    return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
  }
}
