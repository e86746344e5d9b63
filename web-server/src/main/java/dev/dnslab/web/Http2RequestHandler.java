package dev.dnslab.web;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 connection (RFC 9113): every stream's request is answered here, on the connection's
 * own handler, by the same {@link WebRequestHandler#answer(WebExchange)} as HTTP/1.1.
 *
 * <p>Why not a child channel per stream (Netty's Http2MultiplexHandler): a stream then cost a
 * channel, a pipeline and seven handlers, built and torn down for every request, and that was most
 * of the CPU an h2 request took. A request without a body (HEADERS with END_STREAM, nearly every
 * GET) now goes straight from the decoded header block to the answer, and a plain GET or HEAD of
 * a cached file straight to its pre-built answer ({@link Http2BodilessResponder}). What the per-stream pipeline
 * did is kept, with the very same Netty handlers where they decide something:
 *
 * <ul>
 *   <li>a request with a body is fed, frame by frame, to its own {@link BodyLimitAggregator} (in an
 *       EmbeddedChannel), which answers 100-continue, 417 and 413 as on HTTP/1.1;
 *   <li>gzip and deflate come from one {@link ResponseCompressor} per connection, given the
 *       request's Accept-Encoding, so HEAD gets GET's Content-Encoding and Content-Length (RFC 9110
 *       9.3.2) and then no content;
 *   <li>a request whose body has not ended {@link WebLimits#requestTimeout()} after its HEADERS gets
 *       408 and its stream is reset (slowloris, per stream);
 *   <li>a malformed request (no {@code :method} or {@code :path}, RFC 9113 8.1.1) has its stream
 *       reset, as closing its child channel did.
 * </ul>
 *
 * Writes go through the connection's encoder (flow control included) and are flushed once per read,
 * when Http2ConnectionHandler's channelReadComplete flushes.
 */
final class Http2RequestHandler extends Http2ConnectionHandler {
  private static final Logger log = LoggerFactory.getLogger(Http2RequestHandler.class);

  private final WebRequestHandler requests;
  private final WebPipeline pipeline;
  /** The short way of a plain GET or HEAD of a cached file. */
  private final Http2BodilessResponder bodiless;
  /** Requests whose body is still arriving, by stream id. */
  private final IntObjectMap<PendingRequest> pending = new IntObjectHashMap<>();
  /** Made on the first request that asks for a content coding. */
  private EmbeddedChannel compressor;
  /** The pending check of the request deadlines, if any; at most one per connection. */
  private ScheduledFuture<?> deadlineCheck;

  /** A request whose HEADERS came without END_STREAM: its aggregator and when it started. */
  private record PendingRequest(Http2Headers headers, long startNanos, EmbeddedChannel aggregator) {}

  private Http2RequestHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      WebRequestHandler requests,
      WebPipeline pipeline) {
    super(decoder, encoder, settings);
    this.requests = requests;
    this.pipeline = pipeline;
    this.bodiless = new Http2BodilessResponder(requests);
    connection()
        .addListener(
            new Http2ConnectionAdapter() {
              @Override
              public void onStreamRemoved(Http2Stream stream) {
                // Reset by either side, or done: a body still arriving is dropped.
                PendingRequest request = pending.remove(stream.id());
                if (request != null) {
                  discard(request);
                }
              }
            });
  }

  /** A handler for one connection, announcing {@code settings} (RFC 9113 6.5). */
  static Http2RequestHandler forConnection(Http2Settings settings, WebRequestHandler requests, WebPipeline pipeline) {
    return new Builder(settings, requireNonNull(requests, "requests"), requireNonNull(pipeline, "pipeline")).build();
  }

  private final class Frames extends Http2FrameAdapter {
    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
      headersRead(ctx, streamId, headers, endOfStream);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream) {
      headersRead(ctx, streamId, headers, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      // Consumed at once: the aggregator holds what it keeps, so the flow-control window reopens.
      int consumed = data.readableBytes() + padding;
      PendingRequest request = pending.get(streamId);
      if (request != null) {
        HttpContent content =
            endOfStream ? new DefaultLastHttpContent(data.retain()) : new DefaultHttpContent(data.retain());
        feed(ctx, streamId, request, content, endOfStream);
      }
      return consumed;
    }
  }

  private void headersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, boolean endOfStream) {
    PendingRequest inProgress = pending.get(streamId);
    if (inProgress != null) {
      // Trailers end the request body (RFC 9113 8.1); the request itself is already known.
      if (endOfStream) {
        feed(ctx, streamId, inProgress, new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER), true);
      }
      return;
    }
    try {
      // No second validation of the header fields (false): Netty's HPACK decoder has validated
      // every name and value of this block already (the builder's validateHeaders, on by default,
      // checks names as lower-case tokens and values with the same HttpHeaderValidationUtil rules an
      // HTTP/1.1 HttpHeaders applies, RFC 9113 8.2.1), and copying them into HttpHeaders with
      // validation on checked each one again, on every request.
      if (endOfStream) {
        if (!bodiless.answered(ctx, encoder(), streamId, headers)) {
          answer(ctx, streamId, headers, HttpConversionUtil.toFullHttpRequest(streamId, headers, ctx.alloc(), false));
        }
        return;
      }
      HttpRequest request = HttpConversionUtil.toHttpRequest(streamId, headers, false);
      if (!HttpUtil.isContentLengthSet(request)) {
        // What Netty's Http2StreamFrameToHttpObjectCodec tells an aggregator about a body of unknown length.
        request.headers().add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      PendingRequest started = new PendingRequest(headers, System.nanoTime(), new EmbeddedChannel(pipeline.newAggregator()));
      pending.put(streamId, started);
      feed(ctx, streamId, started, request, false);
    } catch (Http2Exception | RuntimeException e) {
      log.debug("stream {} of {} reset: {}", streamId, ctx.channel().remoteAddress(), e.toString());
      reset(ctx, streamId);
    }
  }

  /** One more part of a request with a body; answers it when the aggregator has all of it. */
  private void feed(ChannelHandlerContext ctx, int streamId, PendingRequest request, HttpObject part, boolean last) {
    EmbeddedChannel aggregator = request.aggregator();
    FullHttpRequest complete = null;
    try {
      aggregator.writeInbound(part);
      complete = aggregator.readInbound();
    } catch (RuntimeException e) {
      log.debug("stream {} of {} reset: {}", streamId, ctx.channel().remoteAddress(), e.toString());
      aggregator.close();
    }
    // 100 Continue, 417 or 413, written by the aggregator as on an HTTP/1.1 connection.
    for (Object interim; (interim = aggregator.readOutbound()) != null; ) {
      writeResponse(ctx, streamId, (FullHttpResponse) interim, ctx.newPromise());
    }
    if (complete != null || last || !aggregator.isOpen()) {
      pending.remove(streamId);
      discard(request);
      if (complete != null) {
        answer(ctx, streamId, request.headers(), complete);
      } else if (!aggregator.isOpen()) {
        // The aggregator closed its "connection" after a 413: here, the stream.
        reset(ctx, streamId);
      }
    }
  }

  private void answer(ChannelHandlerContext ctx, int streamId, Http2Headers headers, FullHttpRequest request) {
    try {
      answerOrThrow(ctx, streamId, headers, request);
    } catch (RuntimeException e) {
      // The answer itself never throws (a failure is a 500); this is the content coding or the encoder.
      log.warn("stream {} of {} failed", streamId, ctx.channel().remoteAddress(), e);
      reset(ctx, streamId);
    } finally {
      request.release();
    }
  }

  private void answerOrThrow(ChannelHandlerContext ctx, int streamId, Http2Headers headers, FullHttpRequest request) {
    {
      WebExchange exchange =
          new WebExchange(
              request,
              WebExchange.H2,
              requests.scheme(),
              (InetSocketAddress) ctx.channel().remoteAddress(),
              (InetSocketAddress) ctx.channel().localAddress(),
              headers,
              System.nanoTime());
      WebRequestHandler.Answer answer = requests.answer(exchange);
      FullHttpResponse response = answer.response();
      int status = response.status().code();
      long bodyBytes = WebRequestHandler.bodyBytes(request, response);
      if (request.headers().contains(HttpHeaderNames.ACCEPT_ENCODING)) {
        response = encoded(request, response);
      }
      if (HttpMethod.HEAD.equals(request.method())) {
        // GET's header fields, encoding included, and no content (RFC 9110 9.3.2).
        FullHttpResponse headersOnly =
            new DefaultFullHttpResponse(
                response.protocolVersion(), response.status(), Unpooled.EMPTY_BUFFER, response.headers(),
                EmptyHttpHeaders.INSTANCE);
        response.release();
        response = headersOnly;
      }
      ChannelPromise written = ctx.newPromise();
      written.addListener(done -> requests.answered(ctx.executor(), exchange, answer.host(), status, bodyBytes));
      writeResponse(ctx, streamId, response, written);
    }
  }

  /** The response as the connection's compressor codes it for this request's Accept-Encoding. */
  private FullHttpResponse encoded(FullHttpRequest request, FullHttpResponse response) {
    if (compressor == null) {
      compressor = new EmbeddedChannel(WebPipeline.newCompressor());
    }
    return ResponseCompressor.encoded(compressor, request, response);
  }

  /**
   * HEADERS, then DATA when there is content; END_STREAM on the last frame of a final response
   * (RFC 9113 8.1). A 1xx response is a HEADERS frame alone.
   */
  private void writeResponse(ChannelHandlerContext ctx, int streamId, FullHttpResponse response, ChannelPromise promise) {
    ByteBuf content = response.content();
    try {
      // Drops the header fields HTTP/2 forbids (Connection, Keep-Alive, ...: RFC 9113 8.2.2). Not
      // validated again (false): the response's HttpHeaders validated each field as it was set, and
      // its names and values are this server's own constants, file metadata and percent-encoded
      // Location values, never a client's bytes.
      Http2Headers headers = HttpConversionUtil.toHttp2Headers(response, false);
      boolean informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      if (informational || !content.isReadable()) {
        encoder().writeHeaders(ctx, streamId, headers, 0, !informational, promise);
        content.release();
        return;
      }
      encoder().writeHeaders(ctx, streamId, headers, 0, false, ctx.voidPromise());
      encoder().writeData(ctx, streamId, content, 0, true, promise);
    } catch (RuntimeException e) {
      ReferenceCountUtil.safeRelease(content);
      promise.tryFailure(e);
      log.debug("cannot answer stream {} of {}: {}", streamId, ctx.channel().remoteAddress(), e.toString());
    }
  }

  private void reset(ChannelHandlerContext ctx, int streamId) {
    // CANCEL, as Netty sends when a stream's child channel closes before the stream has ended.
    resetStream(ctx, streamId, Http2Error.CANCEL.code(), ctx.newPromise());
  }

  /**
   * Closes a request's aggregator and releases what it held. Closing it in the middle of a body
   * makes Netty's MessageAggregator raise PrematureChannelClosureException, which EmbeddedChannel
   * rethrows here: expected, since it is this handler that gives up on the body (a stream reset,
   * a request timeout, a closed connection), so it must not abort the caller.
   */
  private static void discard(PendingRequest request) {
    try {
      request.aggregator().finishAndReleaseAll();
    } catch (PrematureChannelClosureException expected) {
      // The body was incomplete; its parts were released by the aggregator as it closed.
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    // As SlowRequestGuard: a timer only when a read ends with a request still incomplete.
    if (!pending.isEmpty() && deadlineCheck == null) {
      scheduleDeadlineCheck(ctx);
    }
    super.channelReadComplete(ctx);
  }

  private void scheduleDeadlineCheck(ChannelHandlerContext ctx) {
    long oldest = Long.MAX_VALUE;
    for (PendingRequest request : pending.values()) {
      oldest = Math.min(oldest, request.startNanos());
    }
    long delay = oldest + pipeline.limits().requestTimeout().toNanos() - System.nanoTime();
    deadlineCheck = ctx.executor().schedule(() -> checkDeadlines(ctx), Math.max(0, delay), TimeUnit.NANOSECONDS);
  }

  private void checkDeadlines(ChannelHandlerContext ctx) {
    deadlineCheck = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    long timeout = pipeline.limits().requestTimeout().toNanos();
    List<Integer> late = new ArrayList<>();
    for (IntObjectMap.PrimitiveEntry<PendingRequest> entry : pending.entries()) {
      if (now - entry.value().startNanos() >= timeout) {
        late.add(entry.key());
      }
    }
    for (int streamId : late) {
      discard(pending.remove(streamId));
      pipeline.requestTimedOut();
      // 408, then the stream (not the connection) ends (RFC 9110 15.5.9).
      ChannelPromise written = ctx.newPromise();
      writeResponse(ctx, streamId, SlowRequestGuard.timeoutResponse(), written);
      written.addListener(done -> reset(ctx, streamId));
    }
    flush(ctx);
    if (!pending.isEmpty()) {
      scheduleDeadlineCheck(ctx);
    }
  }

  @Override
  public void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    if (deadlineCheck != null) {
      deadlineCheck.cancel(false);
      deadlineCheck = null;
    }
    pending.values().forEach(Http2RequestHandler::discard);
    pending.clear();
    if (compressor != null) {
      compressor.finishAndReleaseAll();
      compressor = null;
    }
    super.handlerRemoved0(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (deadlineCheck != null) {
      deadlineCheck.cancel(false);
      deadlineCheck = null;
    }
    super.channelInactive(ctx);
  }

  /** Netty's way to make an Http2ConnectionHandler: the builder makes the decoder and encoder. */
  private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2RequestHandler, Builder> {
    private final WebRequestHandler requests;
    private final WebPipeline pipeline;

    Builder(Http2Settings settings, WebRequestHandler requests, WebPipeline pipeline) {
      this.requests = requests;
      this.pipeline = pipeline;
      server(true);
      initialSettings(settings);
    }

    @Override
    public Http2RequestHandler build() {
      return super.build();
    }

    @Override
    protected Http2RequestHandler build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings initialSettings) {
      Http2RequestHandler handler = new Http2RequestHandler(decoder, encoder, initialSettings, requests, pipeline);
      frameListener(handler.new Frames());
      return handler;
    }
  }
}
