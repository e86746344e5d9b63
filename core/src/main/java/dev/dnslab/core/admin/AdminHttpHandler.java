package dev.dnslab.core.admin;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches admin requests to routes by exact path. Errors never leak stack traces. */
@ChannelHandler.Sharable
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);

  private final Map<String, AdminRoute> routes;

  AdminHttpHandler(Map<String, AdminRoute> routes) {
    this.routes = requireNonNull(routes, "routes");
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    AdminRoute route = routes.get(query.path());
    CompletionStage<AdminResponse> answer;
    if (!request.decoderResult().isSuccess()) {
      answer = CompletableFuture.completedFuture(AdminResponse.text(400, "bad request\n"));
    } else if (route == null) {
      answer =
          CompletableFuture.completedFuture(
              AdminResponse.text(404, "no such path: " + query.path() + "\npaths: " + String.join(" ", routes.keySet()) + "\n"));
    } else {
      try {
        answer = route.handle(request, query);
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
    }
    request.retain();
    answer.whenComplete(
        (response, failure) -> {
          try {
            if (failure != null) {
              log.warn("admin {} failed", query.path(), failure);
              response = AdminResponse.text(500, "internal error\n");
            }
            write(ctx, response, keepAlive);
          } finally {
            request.release();
          }
        });
  }

  private static void write(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
    FullHttpResponse http =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            Unpooled.wrappedBuffer(response.body()));
    http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    // The lab console (another origin) reads these endpoints from the learner's browser.
    http.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    HttpUtil.setContentLength(http, response.body().length);
    HttpUtil.setKeepAlive(http, keepAlive);
    var future = ctx.writeAndFlush(http);
    if (!keepAlive) {
      future.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("admin connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
