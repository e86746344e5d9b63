package dev.dnslab.web;

import java.util.Locale;
import java.util.Set;

/**
 * The three kinds of request header the articles name: request headers (about the client and what it
 * asks for), general headers (about the message or connection, not the data) and representation
 * headers (about the body: its length, MIME type, encoding).
 */
enum HeaderGroup {
  REQUEST("request", "Request headers: about the client and what it asks for"),
  GENERAL("general", "General headers: about the message or the connection, not the data"),
  REPRESENTATION("representation", "Representation headers: about the body (length, MIME type, encoding)");

  private static final Set<String> GENERAL_NAMES =
      Set.of("connection", "keep-alive", "cache-control", "pragma", "date", "via", "upgrade", "trailer",
          "transfer-encoding", "warning", "proxy-connection");

  private static final Set<String> REPRESENTATION_NAMES =
      Set.of("content-type", "content-length", "content-encoding", "content-language", "content-location",
          "content-range", "content-digest", "repr-digest", "last-modified", "etag");

  private final String key;
  private final String description;

  HeaderGroup(String key, String description) {
    this.key = key;
    this.description = description;
  }

  String key() {
    return key;
  }

  String description() {
    return description;
  }

  static HeaderGroup of(String headerName) {
    String name = headerName.toLowerCase(Locale.ROOT);
    if (GENERAL_NAMES.contains(name)) {
      return GENERAL;
    }
    if (REPRESENTATION_NAMES.contains(name)) {
      return REPRESENTATION;
    }
    return REQUEST;
  }
}
