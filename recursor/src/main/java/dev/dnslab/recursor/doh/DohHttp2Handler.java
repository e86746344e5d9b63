package dev.dnslab.recursor.doh;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.server.TcpConnectionLimiter;
import dev.dnslab.core.server.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * DNS over HTTPS/2 (RFC 8484 on RFC 9113) at the frame level, one handler per connection after
 * Netty's {@code Http2FrameCodec}: a GET's HEADERS frame, or a POST's HEADERS and DATA frames, make
 * one {@link DohRequest}; the answer goes back as a HEADERS and a DATA frame on the same stream.
 * Streams are not child channels with their own pipeline, HTTP/1 converter and aggregator: for
 * requests of a few dozen bytes that machinery cost more than the DNS answer.
 *
 * <p>Each answer is flushed when written, so it leaves in a TLS record of its own; nothing between
 * the HTTP/2 codec and TLS holds flushes back (below TLS, {@link DohServer} sends the records of one
 * read in one write). With Netty's {@code FlushConsolidationHandler} after the {@code
 * SslHandler} (as DoT has), the flushes made while a read is in progress wait for {@code
 * channelReadComplete}, and the {@code SslHandler} then wraps all the answers of that read into one
 * record (its pending writes are merged up to {@code wrapDataSize}, 16 KiB, before the engine's
 * {@code wrap}; BoringSSL's {@code ReferenceCountedOpenSslEngine} gets them as one buffer). That is
 * valid (HTTP/2 frames travel in a byte stream, RFC 9113 4), and the JDK client reads it, but
 * dnsperf's DoH client (2.10, {@code net_doh.c}) takes one answer per readable socket: its nghttp2
 * data callback pauses once it holds a whole answer, and {@code perf__doh_have_more} returns false,
 * so the other answers of the record wait in its buffer until more bytes arrive. With its {@code
 * -q} queries in flight it sends nothing more, so they wait for its timeouts: 1-2 answers a second,
 * every other query lost ({@code DohConcurrentStreamsTest}). The codec's own flush at the end of
 * each read ({@code Http2ConnectionHandler.channelReadComplete}) sends what a read left behind,
 * such as WINDOW_UPDATE frames. DoT keeps its consolidation: dnsperf's DoT client reads several
 * answers from one record, split by their two-byte lengths (RFC 7858 3.3; {@code perf__dot_have_more}).
 */
final class DohHttp2Handler extends ChannelDuplexHandler {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DohHttp2Handler.class);

  private static final AsciiString OK = HttpResponseStatus.OK.codeAsText();
  private static final AsciiString DNS_MESSAGE = AsciiString.cached(DohRequest.MEDIA_TYPE);
  private static final AsciiString TEXT = AsciiString.cached("text/plain; charset=utf-8");

  private final QueryProcessor processor;
  /** POST bodies still arriving, by stream id; a request body is at most {@link DohServer#MAX_BODY}. */
  private final Map<Integer, PendingPost> posts = new HashMap<>();

  DohHttp2Handler(QueryProcessor processor) {
    this.processor = requireNonNull(processor, "processor");
  }

  private record PendingPost(Http2Headers headers, CompositeByteBuf body) {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http2HeadersFrame headers) {
        PendingPost post = posts.remove(headers.stream().id());
        if (post != null) {
          // Trailers end a request whose body came before them (RFC 9113 8.1).
          try {
            answer(ctx, headers.stream(), post.headers(), post.body());
          } finally {
            post.body().release();
          }
        } else if (headers.isEndStream()) {
          answer(ctx, headers.stream(), headers.headers(), Unpooled.EMPTY_BUFFER);
        } else {
          posts.put(headers.stream().id(), new PendingPost(headers.headers(), ctx.alloc().compositeBuffer()));
        }
      } else if (msg instanceof Http2DataFrame data) {
        body(ctx, data);
      } else if (msg instanceof Http2ResetFrame reset) {
        release(posts.remove(reset.stream().id()));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void body(ChannelHandlerContext ctx, Http2DataFrame data) {
    Http2FrameStream stream = data.stream();
    // RFC 9113 6.9: the bytes are consumed, so the client may send more on this connection.
    if (data.initialFlowControlledBytes() > 0) {
      ctx.write(new DefaultHttp2WindowUpdateFrame(data.initialFlowControlledBytes()).stream(stream));
    }
    PendingPost post = posts.get(stream.id());
    if (post == null) {
      return; // DATA after a rejected request, or for a stream that is gone
    }
    if (post.body().readableBytes() + data.content().readableBytes() > DohServer.MAX_BODY) {
      release(posts.remove(stream.id()));
      respond(ctx, stream, new DohRequest.Rejected(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
          "a DNS message is at most " + DohServer.MAX_BODY + " bytes (RFC 8484 6)"));
      return;
    }
    post.body().addComponent(true, data.content().retain());
    if (data.isEndStream()) {
      posts.remove(stream.id());
      try {
        answer(ctx, stream, post.headers(), post.body());
      } finally {
        post.body().release();
      }
    }
  }

  private void answer(ChannelHandlerContext ctx, Http2FrameStream stream, Http2Headers headers, ByteBuf body) {
    CharSequence method = headers.method();
    CharSequence path = headers.path();
    DohRequest read = DohRequest.read(method == null ? "" : method.toString(),
        path == null ? "" : path.toString(), headers.get(HttpHeaderNames.CONTENT_TYPE), body);
    if (read instanceof DohRequest.Rejected rejected) {
      respond(ctx, stream, rejected);
      return;
    }
    InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
    InetSocketAddress server = (InetSocketAddress) ctx.channel().localAddress();
    // The connection cap never evicts a connection with a query in flight (RFC 7766 6.2.3).
    TcpConnectionLimiter.StreamActivity activity = TcpConnectionLimiter.activity(ctx.channel());
    if (activity != null) {
      activity.queryReceived();
    }
    processor.process(((DohRequest.Query) read).packet(), Transport.HTTPS, client, server).thenAccept(messages -> {
      // Not busy until the answer is written, on the connection's own loop: marked done on the
      // thread that resolved it, the idle timeout could close the connection between the two and
      // lose the answer (DohIdleConnectionTest: a query answered just as the timeout fires).
      Runnable answer = () -> {
        respond(ctx, stream, messages.isEmpty() ? null : messages.get(0));
        if (activity != null) {
          activity.answerSent();
        }
      };
      if (ctx.executor().inEventLoop()) {
        answer.run();
      } else {
        ctx.executor().execute(answer);
      }
    });
  }

  /** A DNS answer, or (null) the error for bytes that were no DNS query. */
  private void respond(ChannelHandlerContext ctx, Http2FrameStream stream, byte[] wire) {
    if (wire == null) {
      respond(ctx, stream, DohRequest.notADnsQuery());
      return;
    }
    Http2Headers headers = new DefaultHttp2Headers()
        .status(OK)
        .set(HttpHeaderNames.CONTENT_TYPE, DNS_MESSAGE)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, wire.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "max-age=" + DohRequest.maxAgeSeconds(wire));
    send(ctx, stream, headers, Unpooled.wrappedBuffer(wire));
  }

  private void respond(ChannelHandlerContext ctx, Http2FrameStream stream, DohRequest.Rejected rejected) {
    ByteBuf text = Unpooled.copiedBuffer(rejected.reason() + "\n", StandardCharsets.UTF_8);
    Http2Headers headers = new DefaultHttp2Headers()
        .status(rejected.status().codeAsText())
        .set(HttpHeaderNames.CONTENT_TYPE, TEXT)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, text.readableBytes());
    send(ctx, stream, headers, text);
  }

  private void send(ChannelHandlerContext ctx, Http2FrameStream stream, Http2Headers headers, ByteBuf body) {
    if (!ctx.channel().isActive()) {
      body.release();
      return;
    }
    // Not the void promise: a write to a stream the client has reset fails, and that must not
    // close the connection's other streams.
    ctx.write(new DefaultHttp2HeadersFrame(headers).stream(stream));
    ctx.write(new DefaultHttp2DataFrame(body, true).stream(stream));
    ctx.flush();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    posts.values().forEach(DohHttp2Handler::release);
    posts.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("DoH connection {} closed: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  private static void release(PendingPost post) {
    if (post != null) {
      post.body().release();
    }
  }
}
