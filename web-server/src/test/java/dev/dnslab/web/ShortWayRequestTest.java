package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShortWayRequestTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "gzip, deflate, br, zstd | GZIP",
        "gzip, deflate, br | GZIP",
        "gzip | GZIP",
        "* | GZIP",
        "deflate, gzip | GZIP",
        "deflate | FULL_PATH",
        "gzip;q=0, deflate | FULL_PATH",
        "gzip;q=0.5, deflate;q=0.9 | FULL_PATH",
        "br | IDENTITY",
        "identity | IDENTITY",
        "gzip;q=0 | IDENTITY",
        "*;q=0 | IDENTITY",
        // RFC 9110 12.5.3: q=0 refuses gzip even when the coding asked first (br) is not made here.
        "gzip;q=0, br | IDENTITY",
        "x-gzip;q=0, br | IDENTITY",
        "gzip;q=0.000, deflate;q=0, br | IDENTITY",
        "gzip;q=0, *;q=0.5, br | IDENTITY",
        "gzip;q=0.1, br | GZIP",
      })
  void choosesTheBodyTheFullPathsCompressorWouldSend(String acceptEncoding, ShortWayRequest.Coding expected) {
    assertThat(ShortWayRequest.coding(acceptEncoding)).isEqualTo(expected);
  }

  @Test
  void readsEveryAcceptEncodingFieldAsTheCompressorJoinsThem() {
    HttpHeaders http1 = new DefaultHttpHeaders().add(HttpHeaderNames.ACCEPT_ENCODING, "gzip;q=0.1")
        .add(HttpHeaderNames.ACCEPT_ENCODING, "deflate");
    Http2Headers http2 = new DefaultHttp2Headers().add(HttpHeaderNames.ACCEPT_ENCODING, "gzip;q=0.1")
        .add(HttpHeaderNames.ACCEPT_ENCODING, "deflate");

    assertThat(ShortWayRequest.coding(RequestFields.of(http1))).isEqualTo(ShortWayRequest.Coding.FULL_PATH);
    assertThat(ShortWayRequest.coding(RequestFields.of(http2))).isEqualTo(ShortWayRequest.Coding.FULL_PATH);
    assertThat(ShortWayRequest.coding(RequestFields.of(new DefaultHttpHeaders()))).isEqualTo(ShortWayRequest.Coding.IDENTITY);
    assertThat(ShortWayRequest.coding(RequestFields.of(new DefaultHttp2Headers()))).isEqualTo(ShortWayRequest.Coding.IDENTITY);
  }

  @Test
  void sendsABodyOrAConditionToTheFullPathOnBothProtocols() {
    for (var name : ShortWayRequest.FULL_PATH_FIELDS) {
      HttpHeaders http1 = new DefaultHttpHeaders().add(name.toUpperCase().toString(), "1");
      Http2Headers http2 = new DefaultHttp2Headers(false).add(name, "1");

      assertThat(ShortWayRequest.asksNothingElse(RequestFields.of(http1))).as(name.toString()).isFalse();
      assertThat(ShortWayRequest.asksNothingElse(RequestFields.of(http2))).as(name.toString()).isFalse();
    }
    assertThat(ShortWayRequest.asksNothingElse(RequestFields.of(new DefaultHttpHeaders().add("Accept", "*/*")))).isTrue();
  }
}
