package dev.dnslab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A pre-encoded response answers its request in the codec's queue of requests, so the responses
 * after it are paired with their own requests (HEAD's without content), and any number of them
 * leaves the pipelining limit untouched.
 */
class Http1ServerCodecTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new Http1ServerCodec(4096, 8192, 8192));

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  private static PreEncodedResponse preEncoded() {
    return new PreEncodedResponse(ascii("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"), ascii("hi"));
  }

  private void receive(String... methods) {
    StringBuilder requests = new StringBuilder();
    for (String method : methods) {
      requests.append(method).append(" / HTTP/1.1\r\nHost: a\r\n\r\n");
    }
    channel.writeInbound(ascii(requests.toString()));
    for (Object in; (in = channel.readInbound()) != null; ) {
      assertThat(in instanceof HttpRequest || in instanceof LastHttpContent).isTrue();
      ReferenceCountUtil.release(in);
    }
  }

  private String sent() {
    StringBuilder wire = new StringBuilder();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      wire.append(((ByteBuf) out).toString(StandardCharsets.US_ASCII));
      ReferenceCountUtil.release(out);
    }
    return wire.toString();
  }

  /** A response without Content-Length whose content only a GET gets: streamed until the end. */
  private void writeStreamedResponse() {
    channel.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    channel.writeAndFlush(new DefaultLastHttpContent(ascii("body")));
  }

  @Test
  void writesAPreEncodedResponseAsItsBytes() {
    receive("GET");

    channel.writeAndFlush(preEncoded());

    assertThat(sent()).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi");
  }

  @Test
  void pairsTheResponseAfterAPreEncodedOneWithItsOwnHeadRequest() {
    receive("GET", "HEAD");

    channel.write(preEncoded());
    writeStreamedResponse();

    assertThat(sent()).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi" + "HTTP/1.1 200 OK\r\n\r\n");
  }

  @Test
  void keepsTheConnectionOpenPastThePipeliningLimitOfPreEncodedResponses() {
    for (int i = 0; i < 2 * Http1ServerCodec.MAX_PIPELINED_REQUESTS; i++) {
      receive("GET");
      channel.writeAndFlush(preEncoded());
    }
    sent();
    receive("HEAD", "GET");

    writeStreamedResponse();
    writeStreamedResponse();

    assertThat(channel.isOpen()).isTrue();
    assertThat(sent()).isEqualTo("HTTP/1.1 200 OK\r\n\r\n" + "HTTP/1.1 200 OK\r\n\r\nbody");
    channel.finishAndReleaseAll();
  }
}
