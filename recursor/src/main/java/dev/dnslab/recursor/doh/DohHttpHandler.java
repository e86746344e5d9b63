package dev.dnslab.recursor.doh;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.server.TcpConnectionLimiter;
import dev.dnslab.core.server.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * DNS over HTTPS/1.1 (RFC 8484): each whole request read by {@link DohRequest}, its DNS message
 * through the same {@link QueryProcessor} as UDP and TCP; the HTTP freshness lifetime is the
 * answer's smallest TTL (5.1). HTTP/2 streams go to {@link DohHttp2Handler} instead.
 */
@ChannelHandler.Sharable
final class DohHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String PATH = DohRequest.PATH;
  static final String MEDIA_TYPE = DohRequest.MEDIA_TYPE;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DohHttpHandler.class);

  private final QueryProcessor processor;

  DohHttpHandler(QueryProcessor processor) {
    this.processor = requireNonNull(processor, "processor");
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    DohRequest read = DohRequest.read(request.method().name(), request.uri(),
        request.headers().get(HttpHeaderNames.CONTENT_TYPE), request.content());
    if (read instanceof DohRequest.Rejected rejected) {
      write(ctx, error(rejected), keepAlive);
      return;
    }
    byte[] packet = ((DohRequest.Query) read).packet();
    Channel connection = ctx.channel();
    InetSocketAddress client = (InetSocketAddress) connection.remoteAddress();
    InetSocketAddress server = (InetSocketAddress) connection.localAddress();
    // The connection cap never evicts a connection with a query in flight (RFC 7766 6.2.3).
    TcpConnectionLimiter.StreamActivity activity = TcpConnectionLimiter.activity(connection);
    if (activity != null) {
      activity.queryReceived();
    }
    processor.process(packet, Transport.HTTPS, client, server).thenAccept(messages -> {
      FullHttpResponse response = messages.isEmpty() ? error(DohRequest.notADnsQuery()) : answer(messages.get(0));
      // Not busy until the answer is written, on the connection's own loop: marked done on the
      // thread that resolved it, the idle timeout could close the connection between the two and
      // lose the answer (DohIdleConnectionTest: a query answered just as the timeout fires).
      ctx.executor().execute(() -> {
        write(ctx, response, keepAlive);
        if (activity != null) {
          activity.answerSent();
        }
      });
    });
  }

  private static FullHttpResponse answer(byte[] wire) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(wire));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, MEDIA_TYPE);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=" + DohRequest.maxAgeSeconds(wire));
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("DoH connection {} closed: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  private static FullHttpResponse error(DohRequest.Rejected rejected) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, rejected.status(),
        Unpooled.copiedBuffer(rejected.reason() + "\n", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return response;
  }

  private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setContentLength(response, response.content().readableBytes());
    var future = ctx.writeAndFlush(response);
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
