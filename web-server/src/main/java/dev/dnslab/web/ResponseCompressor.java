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
   * none. Netty's own choice (HttpContentCompressor.determineEncoding), so that the short ways pick
   * exactly what the full path would.
   */
  String codingFor(String acceptEncoding) {
    return determineEncoding(acceptEncoding);
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
