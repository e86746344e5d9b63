package dev.dnslab.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * What a bodiless GET or HEAD of a cached file must not carry to take a short way ({@link
 * BodilessRequestResponder} for HTTP/1.1, {@link Http2BodilessResponder} for h2), and which of the
 * file's pre-built bodies its Accept-Encoding picks. One list for both protocols, so that a field
 * added for one (Range, say) cannot be missing from the other. A condition (If-None-Match,
 * If-Modified-Since) does not send a request to the full path: both ways test it with the same
 * {@link ConditionalGet}, and the short ways answer a reload with the file's pre-built 304.
 */
final class ShortWayRequest {
  /**
   * Header fields that send a request to the full path: a body announced (the aggregator reads it,
   * 100-continue). Lower case, as HPACK gives h2's names (RFC 9113 8.2.1); HTTP/1.1's HttpHeaders
   * compare names ignoring case.
   */
  static final List<AsciiString> FULL_PATH_FIELDS =
      List.of(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.EXPECT);

  /**
   * Which pre-built body answers the request: the file as it is, its gzip coding, or neither (the
   * full path codes it: deflate). A 304 has no body: it answers whatever the coding.
   */
  enum Coding {
    IDENTITY,
    GZIP,
    FULL_PATH
  }

  /**
   * Chooses as the full path's compressor does (Netty's HttpContentCompressor.determineEncoding over
   * the Accept-Encoding fields joined with ",", q-values, "*" and all), by asking one such
   * compressor: never used as a handler, it only chooses.
   */
  private static final ResponseCompressor CHOOSER = WebPipeline.newCompressor();

  private ShortWayRequest() {}

  /** True when none of {@link #FULL_PATH_FIELDS} is present. */
  static boolean asksNothingElse(RequestFields fields) {
    for (AsciiString name : FULL_PATH_FIELDS) {
      if (fields.contains(name)) {
        return false;
      }
    }
    return true;
  }

  /**
   * True when the request cannot be answered here whatever its file: its Accept-Encoding makes the
   * full path code a 200 with deflate, and it has no condition that could make the answer a 304
   * (which has no body to code: the full path's compressor lets it through as it is).
   */
  static boolean leftToFullPath(Coding coding, ConditionalGet condition) {
    return coding == Coding.FULL_PATH && condition == ConditionalGet.NONE;
  }

  /** The body a request's Accept-Encoding picks, its fields joined as the compressor joins them. */
  static Coding coding(RequestFields fields) {
    CharSequence acceptEncoding = fields.joined(HttpHeaderNames.ACCEPT_ENCODING);
    return acceptEncoding == null ? Coding.IDENTITY : coding(acceptEncoding);
  }

  /**
   * The full path's choice for this Accept-Encoding value: none (the compressor passes the response
   * through as it is: no acceptable coding, "identity", "br" alone, "gzip;q=0"), gzip, or deflate,
   * which the short ways leave to the full path (no browser prefers it to gzip).
   */
  static Coding coding(CharSequence acceptEncoding) {
    // A browser sends the same value with every request: compare it with the last one chosen for
    // instead of splitting and parsing it again (or copying it into a String). Shared by the event
    // loops; a race makes it twice.
    Choice last = lastChoice;
    if (last != null && last.acceptEncoding().contentEquals(acceptEncoding)) {
      return last.coding();
    }
    String value = acceptEncoding.toString();
    String chosen = CHOOSER.codingFor(value);
    Coding coding = chosen == null ? Coding.IDENTITY : chosen.equals("gzip") ? Coding.GZIP : Coding.FULL_PATH;
    lastChoice = new Choice(value, coding);
    return coding;
  }

  private record Choice(String acceptEncoding, Coding coding) {}

  /** The last Accept-Encoding value chosen for, and its choice. */
  private static volatile Choice lastChoice;
}
