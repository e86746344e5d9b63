package dev.dnslab.web;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.CompressionOptions;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's gzip/deflate compressor, except that a response to HEAD is compressed as the response to
 * GET would be. Netty's {@code HttpContentEncoder} lets every HEAD response through untouched, so a
 * HEAD answer would lack the {@code Content-Encoding} and the compressed {@code Content-Length} that
 * GET sends, and RFC 9110 9.3.2 asks for the same header fields. The HEAD response still carries its
 * content at this point. {@link HeadContentRemover}, nearer the wire, drops it after compression.
 */
final class ResponseCompressor extends HttpContentCompressor {
  ResponseCompressor(int contentSizeThreshold, CompressionOptions... options) {
    super(contentSizeThreshold, options);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, HttpRequest request, List<Object> out) throws Exception {
    if (!HttpMethod.HEAD.equals(request.method())) {
      super.decode(ctx, request, out);
      return;
    }
    // The encoder records each request's Accept-Encoding, and a marker instead for HEAD. Record
    // what it would for GET, but pass the HEAD request itself on.
    HttpRequest asGet = new DefaultHttpRequest(request.protocolVersion(), HttpMethod.GET, request.uri(), request.headers());
    super.decode(ctx, asGet, new ArrayList<>(1));
    out.add(ReferenceCountUtil.retain(request));
  }

  /**
   * The content coding this compressor gives a response of at least its threshold to a request
   * with this Accept-Encoding value (its fields joined with ","): "gzip", "deflate", or null for
   * none. The same choice the full path makes ({@link #determineEncoding}), so that the short ways
   * pick exactly what it would.
   */
  String codingFor(String acceptEncoding) {
    return determineEncoding(acceptEncoding);
  }

  /**
   * Netty's choice (q-values, "*", gzip before deflate when equal), except that a coding the
   * request refuses is never sent: RFC 9110 12.5.3, "a qvalue of 0 means not acceptable". Netty
   * falls back to gzip when the coding the request prefers is one this server does not make
   * ({@code gzip;q=0, br}: br not built in here), whatever gzip's q; identity is then the answer,
   * which a request refuses only by naming it (and gets anyway, as from Netty: RFC 9110 allows it).
   */
  @Override
  protected String determineEncoding(String acceptEncoding) {
    String chosen = super.determineEncoding(acceptEncoding);
    return chosen != null && refuses(acceptEncoding, chosen) ? null : chosen;
  }

  /**
   * Whether the Accept-Encoding value names {@code coding} (or its "x-" alias, RFC 9110 18.6) and
   * only with q=0. A q that does not parse counts as 0, as Netty reads it.
   */
  static boolean refuses(String acceptEncoding, String coding) {
    boolean named = false;
    for (String field : acceptEncoding.split(",")) {
      String[] parts = field.split(";");
      String name = parts[0].trim();
      if (!name.equalsIgnoreCase(coding) && !name.equalsIgnoreCase("x-" + coding)) {
        continue;
      }
      named = true;
      if (qOf(parts) > 0) {
        return false;
      }
    }
    return named;
  }

  /** The field's q parameter (RFC 9110 12.4.2), 1 when it has none. */
  private static float qOf(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.length() > 1 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q') && parameter.charAt(1) == '=') {
        try {
          return Float.parseFloat(parameter.substring(2).trim());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }

  /**
   * The response as {@code compressor} (an EmbeddedChannel around a ResponseCompressor) codes it for
   * {@code request}'s Accept-Encoding, as one full response: the content of every part the
   * compressor writes, in one buffer. The response itself when the compressor leaves it alone.
   */
  static FullHttpResponse encoded(EmbeddedChannel compressor, HttpRequest request, FullHttpResponse response) {
    // The compressor notes each request's Accept-Encoding (GET's for HEAD) and passes the request on.
    compressor.writeInbound(
        new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(), request.headers()));
    ReferenceCountUtil.release(compressor.readInbound());
    compressor.writeOutbound(response);
    List<Object> parts = new ArrayList<>(3);
    for (Object part; (part = compressor.readOutbound()) != null; ) {
      parts.add(part);
    }
    if (parts.size() == 1 && parts.get(0) instanceof FullHttpResponse unchanged) {
      return unchanged;
    }
    HttpResponse head = (HttpResponse) parts.get(0);
    CompositeByteBuf content = Unpooled.compositeBuffer(parts.size());
    for (Object part : parts.subList(1, parts.size())) {
      content.addComponent(true, ((HttpContent) part).content());
    }
    return new DefaultFullHttpResponse(
        head.protocolVersion(), head.status(), content, head.headers(), EmptyHttpHeaders.INSTANCE);
  }
}
