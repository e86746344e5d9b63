package dev.dnslab.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Netty's HttpServerCodec (4.2), plus one outbound message: a {@link PreEncodedResponse}, written as
 * its bytes. HttpServerCodec's encoder takes HTTP objects only, and it pairs each response with the
 * method of its request, from a queue its decoder fills: a response to HEAD has no content (RFC
 * 9110 9.3.2), a 2xx to CONNECT no Transfer-Encoding (RFC 9112 6.3). Bytes written past that
 * encoder would leave their request in the queue, so the next response would be paired with the
 * wrong request, and after 128 of them its pipelining limit would close the connection. This codec
 * keeps the same queue and lets a pre-encoded response take its request's place in it.
 *
 * <p>Everything else is HttpServerCodec's: the same decoder and encoder, at most {@link
 * #MAX_PIPELINED_REQUESTS} requests decoded and not yet answered (past that the connection reads
 * nothing more and closes after the next response), and a request with both Transfer-Encoding:
 * chunked and Content-Length closes the connection after its response (RFC 9112 6.1, a smuggling
 * attempt). Encoding the pre-built response's head once per second instead of at every response
 * saves the encoder's work: Netty's HTTP codec was 7.8 % (h1) and 13 % (reload) of the event
 * loop's self time under wrk (bench/web/profile.sh, 2026-12-07), its encodeHeaders alone 2-2.5 %.
 */
final class Http1ServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {
  /** HttpServerCodec's default pipelining limit (Netty 4.2). */
  static final int MAX_PIPELINED_REQUESTS = 128;

  /** The methods of the requests decoded and not yet answered, oldest first. */
  private final ArrayDeque<HttpMethod> unanswered = new ArrayDeque<>();
  /** Close the connection once the response being written is complete. */
  private boolean closeAfterResponse;

  Http1ServerCodec(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
    init(
        new RequestDecoder(
            new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize)
                .setMaxChunkSize(maxChunkSize)),
        new ResponseEncoder());
  }

  private final class RequestDecoder extends HttpRequestDecoder {
    /** Past the pipelining limit: the rest of the connection's bytes are dropped. */
    private boolean discarding;

    RequestDecoder(HttpDecoderConfig config) {
      super(config);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
      if (discarding) {
        buffer.skipBytes(buffer.readableBytes());
        return;
      }
      int decodedBefore = out.size();
      super.decode(ctx, buffer, out);
      for (int i = decodedBefore; i < out.size(); i++) {
        if (out.get(i) instanceof HttpRequest request) {
          if (unanswered.size() >= MAX_PIPELINED_REQUESTS) {
            closeAfterResponse = true;
            discarding = true;
            for (int j = i; j < out.size(); j++) {
              ReferenceCountUtil.release(out.get(j));
            }
            out.clear();
            throw new IllegalStateException("maxPipelineDepth exceeded: " + MAX_PIPELINED_REQUESTS);
          }
          unanswered.add(request.method());
        }
      }
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
      super.handleTransferEncodingChunkedWithContentLength(message);
      closeAfterResponse = true;
    }
  }

  private final class ResponseEncoder extends HttpResponseEncoder {
    /** The method of the request the response being encoded answers; null when none was queued. */
    private HttpMethod answering;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      boolean lastOfResponse = msg instanceof LastHttpContent || msg instanceof PreEncodedResponse;
      if (closeAfterResponse && lastOfResponse) {
        closeAfterResponse = false;
        promise = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
      }
      if (msg instanceof PreEncodedResponse response) {
        unanswered.poll();
        writeBytes(ctx, response, promise);
        return;
      }
      super.write(ctx, msg, promise);
    }

    /** The head and body as they are; two buffers, as the encoder writes a response above 128 bytes. */
    private void writeBytes(ChannelHandlerContext ctx, PreEncodedResponse response, ChannelPromise promise) {
      if (!response.body().isReadable()) {
        ctx.write(response.head(), promise);
      } else if (promise.isVoid()) {
        ctx.write(response.head(), promise);
        ctx.write(response.body(), promise);
      } else {
        PromiseCombiner both = new PromiseCombiner(ctx.executor());
        both.add(ctx.write(response.head()));
        both.add(ctx.write(response.body()));
        both.finish(promise);
      }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      // A 1xx interim response answers no request on its own.
      if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        return super.isContentAlwaysEmpty(msg);
      }
      answering = unanswered.poll();
      return HttpMethod.HEAD.equals(answering) || super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
      if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(answering) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
        msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        return;
      }
      super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
    }
  }
}
