package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * A whole HTTP/1.1 response as bytes already encoded: the head (status line, header fields, the
 * empty line) and the body, both buffers that are never freed ({@link Http1ServerCodec} writes them
 * as they are, in place of the response its encoder would have encoded). For the short way's
 * pre-built answers, whose head is the same bytes for every response of a second.
 */
record PreEncodedResponse(ByteBuf head, ByteBuf body) {
  PreEncodedResponse {
    requireNonNull(head, "head");
    requireNonNull(body, "body");
  }
}
