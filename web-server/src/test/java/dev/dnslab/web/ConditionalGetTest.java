package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.util.AsciiString;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionalGetTest {
  private static final String ETAG = "W/\"9c4-19a2b3c4d5e\"";
  /** 2026-11-30T13:33:20Z and 400 ms: Last-Modified says 13:33:20. */
  private static final long MODIFIED = 1_796_045_600_400L;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "W/\"9c4-19a2b3c4d5e\" | true",
        "\"9c4-19a2b3c4d5e\" | true",
        "\"x\", W/\"9c4-19a2b3c4d5e\" | true",
        "  \"9c4-19a2b3c4d5e\"\t, \"x\" | true",
        "* | true",
        " * , \"x\" | true",
        "\"x\",, | false",
        "W/ \"9c4-19a2b3c4d5e\" | false",
        "w/\"9c4-19a2b3c4d5e\" | false",
        "\"9c4-19a2b3c4d5e | false",
        "'' | false",
        "W/ | false",
      })
  void comparesTagsWeaklyInAList(String ifNoneMatch, boolean matches) {
    assertThat(ConditionalGet.matchesAny(ifNoneMatch, ETAG)).isEqualTo(matches);
    assertThat(ConditionalGet.matchesAny(AsciiString.of(ifNoneMatch), ETAG)).isEqualTo(matches);
  }

  /** The list as the full path read it before: split at commas, each member stripped. */
  private static boolean splitAndStripped(String ifNoneMatch, String etag) {
    String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.strip();
      if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void readsTheListInPlaceAsSplittingAndStrippingItDid() {
    String[] pieces = {"W/", "\"9c4-19a2b3c4d5e\"", "\"x\"", ",", " ", "\t", "*", "\"", "W", "/", "\u000b", "\u00a0"};
    Random random = new Random(304);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder value = new StringBuilder();
      for (int n = random.nextInt(7); n > 0; n--) {
        value.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = value.toString();

      assertThat(ConditionalGet.matchesAny(text, ETAG)).as("[%s]", text).isEqualTo(splitAndStripped(text, ETAG));
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Mon, 30 Nov 2026 13:33:20 GMT | true",
        "Mon, 30 Nov 2026 13:33:19 GMT | false",
        "Mon, 30 Nov 2026 13:33:21 GMT | true",
        "Monday, 30-Nov-26 13:33:20 GMT | true",
        "Mon Nov 30 13:33:20 2026 | true",
        "30 Nov 2026 | false",
      })
  void takesIfModifiedSinceAtWholeSeconds(String ifModifiedSince, boolean notModified) {
    ConditionalGet condition = ConditionalGet.of(RequestFields.of(new DefaultHttpHeaders().add(HttpHeaderNames.IF_MODIFIED_SINCE, ifModifiedSince)));

    assertThat(condition.notModified(ETAG, MODIFIED)).isEqualTo(notModified);
  }

  @Test
  void letsIfNoneMatchWinOverIfModifiedSince() {
    // RFC 9110 13.2.2: a recipient must ignore If-Modified-Since when If-None-Match is present.
    DefaultHttp2Headers stale = new DefaultHttp2Headers();
    stale.add(HttpHeaderNames.IF_NONE_MATCH, "\"x\"").add(HttpHeaderNames.IF_MODIFIED_SINCE, "Mon, 30 Nov 2026 13:33:20 GMT");
    DefaultHttp2Headers current = new DefaultHttp2Headers();
    current.add(HttpHeaderNames.IF_NONE_MATCH, ETAG).add(HttpHeaderNames.IF_MODIFIED_SINCE, "Thu, 01 Jan 1970 00:00:00 GMT");

    assertThat(ConditionalGet.of(RequestFields.of(stale)).notModified(ETAG, MODIFIED)).isFalse();
    assertThat(ConditionalGet.of(RequestFields.of(current)).notModified(ETAG, MODIFIED)).isTrue();
    assertThat(ConditionalGet.of(RequestFields.of(new DefaultHttp2Headers()))).isSameAs(ConditionalGet.NONE);
    assertThat(ConditionalGet.NONE.notModified(ETAG, MODIFIED)).isFalse();
  }

  @Test
  void readsEveryIfNoneMatchLineAsOneList() {
    // RFC 9110 5.3: the lines of a list-based field combine into one list; the match is the second's.
    HttpHeaders http1 = new DefaultHttpHeaders().add(HttpHeaderNames.IF_NONE_MATCH, "\"other\"")
        .add(HttpHeaderNames.IF_NONE_MATCH, ETAG);
    DefaultHttp2Headers http2 = new DefaultHttp2Headers();
    http2.add(HttpHeaderNames.IF_NONE_MATCH, "\"other\"").add(HttpHeaderNames.IF_NONE_MATCH, ETAG);

    assertThat(ConditionalGet.of(RequestFields.of(http1)).notModified(ETAG, MODIFIED)).isTrue();
    assertThat(ConditionalGet.of(RequestFields.of(http2)).notModified(ETAG, MODIFIED)).isTrue();
  }
}
