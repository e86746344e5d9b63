package dev.dnslab.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.compression.CompressionOptions;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
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
}
