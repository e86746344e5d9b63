package dev.dnslab.web;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Iterator;
import java.util.List;

/**
 * A request's header fields as the short ways and the full path read them, over Netty's two header
 * types (HTTP/1.1's {@link HttpHeaders}, h2's {@link Http2Headers}, which share no interface), so
 * each rule that reads a field is written once. Names in lower case, as HPACK gives h2's (RFC 9113
 * 8.2.1); HTTP/1.1's HttpHeaders compare names ignoring case.
 */
sealed interface RequestFields {
  static RequestFields of(HttpHeaders headers) {
    return new Http1(headers);
  }

  static RequestFields of(Http2Headers headers) {
    return new Http2(headers);
  }

  boolean contains(CharSequence name);

  /** The first field line's value, or null. */
  CharSequence first(CharSequence name);

  List<? extends CharSequence> all(CharSequence name);

  /** The field lines' values, in no particular order (the header map's own). */
  Iterator<? extends CharSequence> values(CharSequence name);

  /**
   * The field's value, every line of it joined with "," into one list (RFC 9110 5.3: a recipient
   * may combine them so), or null when absent. One line (a browser's way) is returned as it is,
   * the header map's own value: no String copied from it and no list of one (HTTP/1.1's get and
   * getAll copy each value they return), which is every reload's If-None-Match and Accept-Encoding.
   */
  default CharSequence joined(CharSequence name) {
    Iterator<? extends CharSequence> values = values(name);
    if (!values.hasNext()) {
      return null;
    }
    CharSequence one = values.next();
    return values.hasNext() ? String.join(",", all(name)) : one;
  }

  record Http1(HttpHeaders headers) implements RequestFields {
    @Override
    public boolean contains(CharSequence name) {
      return headers.contains(name);
    }

    /** One line's value as the map holds it (no String copied from it); the first of several. */
    @Override
    public CharSequence first(CharSequence name) {
      Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(name);
      if (!values.hasNext()) {
        return null;
      }
      CharSequence one = values.next();
      // The iterator gives the lines newest first: "first" of several is get's (the oldest).
      return values.hasNext() ? headers.get(name) : one;
    }

    @Override
    public List<? extends CharSequence> all(CharSequence name) {
      return headers.getAll(name);
    }

    @Override
    public Iterator<? extends CharSequence> values(CharSequence name) {
      return headers.valueCharSequenceIterator(name);
    }
  }

  record Http2(Http2Headers headers) implements RequestFields {
    @Override
    public boolean contains(CharSequence name) {
      return headers.contains(name);
    }

    @Override
    public CharSequence first(CharSequence name) {
      return headers.get(name);
    }

    @Override
    public List<? extends CharSequence> all(CharSequence name) {
      return headers.getAll(name);
    }

    @Override
    public Iterator<? extends CharSequence> values(CharSequence name) {
      return headers.valueIterator(name);
    }
  }
}
