package dev.dnslab.recursor.doh;

import static java.util.Objects.requireNonNull;

import dev.dnslab.core.server.QueryProcessor;
import dev.dnslab.core.server.TcpConnectionLimiter;
import dev.dnslab.core.server.Transport;
import io.netty.buffer.ByteBufUtil;
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
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * RFC 8484 on {@code /dns-query}: GET with {@code ?dns=} (base64url, no padding, 4.1) or POST with
 * an {@code application/dns-message} body. The DNS message goes through the same {@link
 * QueryProcessor} as UDP and TCP; the HTTP freshness lifetime is the answer's smallest TTL (5.1).
 */
@ChannelHandler.Sharable
final class DohHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String PATH = "/dns-query";
  static final String MEDIA_TYPE = "application/dns-message";

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DohHttpHandler.class);

  private final QueryProcessor processor;

  DohHttpHandler(QueryProcessor processor) {
    this.processor = requireNonNull(processor, "processor");
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    if (!PATH.equals(uri.path())) {
      write(ctx, error(HttpResponseStatus.NOT_FOUND, "DNS over HTTPS lives at " + PATH), keepAlive);
      return;
    }
    byte[] packet;
    if (HttpMethod.GET.equals(request.method())) {
      List<String> dns = uri.parameters().get("dns");
      if (dns == null || dns.isEmpty()) {
        write(ctx, error(HttpResponseStatus.BAD_REQUEST, "missing ?dns= (RFC 8484 4.1)"), keepAlive);
        return;
      }
      try {
        packet = Base64.getUrlDecoder().decode(dns.get(0));
      } catch (IllegalArgumentException e) {
        write(ctx, error(HttpResponseStatus.BAD_REQUEST, "dns: not base64url"), keepAlive);
        return;
      }
    } else if (HttpMethod.POST.equals(request.method())) {
      String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
      if (type == null || !type.startsWith(MEDIA_TYPE)) {
        write(ctx, error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "expected " + MEDIA_TYPE), keepAlive);
        return;
      }
      packet = ByteBufUtil.getBytes(request.content());
    } else {
      write(ctx, error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET or POST"), keepAlive);
      return;
    }
    // An HTTP/2 stream is a child channel of the TLS connection, which knows the addresses.
    Channel connection = ctx.channel() instanceof Http2StreamChannel ? ctx.channel().parent() : ctx.channel();
    InetSocketAddress client = (InetSocketAddress) connection.remoteAddress();
    InetSocketAddress server = (InetSocketAddress) connection.localAddress();
    // The connection cap never evicts a connection with a query in flight (RFC 7766 6.2.3).
    TcpConnectionLimiter.StreamActivity activity = TcpConnectionLimiter.activity(connection);
    if (activity != null) {
      activity.queryReceived();
    }
    processor.process(packet, Transport.HTTPS, client, server).thenAccept(messages -> {
      if (activity != null) {
        activity.answerSent();
      }
      if (messages.isEmpty()) {
        write(ctx, error(HttpResponseStatus.BAD_REQUEST, "not a DNS query"), keepAlive);
        return;
      }
      byte[] wire = messages.get(0);
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(wire));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, MEDIA_TYPE);
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=" + minTtl(wire));
      ctx.executor().execute(() -> write(ctx, response, keepAlive));
    });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("DoH connection {} closed: {}", ctx.channel(), cause.toString());
    ctx.close();
  }

  /** RFC 8484 5.1: the freshness lifetime must not exceed the smallest TTL in the answer. */
  private static long minTtl(byte[] wire) {
    try {
      Message message = new Message(wire);
      long min = Long.MAX_VALUE;
      for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
        for (Record record : message.getSection(section)) {
          min = Math.min(min, record.getTTL());
        }
      }
      return min == Long.MAX_VALUE ? 0 : min;
    } catch (IOException e) {
      return 0;
    }
  }

  private static FullHttpResponse error(HttpResponseStatus status, String text) {
    FullHttpResponse response = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return response;
  }

  private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setContentLength(response, response.content().readableBytes());
    var future = ctx.writeAndFlush(response);
    if (!keepAlive && !(ctx.channel() instanceof Http2StreamChannel)) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
